package dev.wal.vfs.testkit;

import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsLock;
import java.io.IOException;

/**
 * The child process of the inter-process lock test. {@code hold <spec> <lock>} takes the lock,
 * prints {@value #LOCKED} and holds it until its standard input closes; {@code try <spec> <lock>}
 * prints {@value #HELD} if the lock is held elsewhere, else {@value #ACQUIRED}.
 */
public final class LockHolderMain {
  static final String LOCKED = "LOCKED";
  static final String HELD = "HELD";
  static final String ACQUIRED = "ACQUIRED";

  private LockHolderMain() {}

  /**
   * Runs the child.
   *
   * @param args the mode, the spec and the lock's name
   * @throws IOException if the storage fails
   */
  public static void main(String[] args) throws IOException {
    try (Vfs vfs = Vfs.open(args[1])) {
      if (args[0].equals("hold")) {
        try (VfsLock lock = vfs.lock(args[2])) {
          System.out.println(lock.isHeld() ? LOCKED : "NOT HELD");
          System.out.flush();
          while (System.in.read() >= 0) {
            // hold the lock until the parent closes our input or kills us
          }
        }
      } else {
        try (VfsLock lock = vfs.lock(args[2])) {
          System.out.println(lock.isHeld() ? ACQUIRED : "NOT HELD");
        } catch (LockHeldException e) {
          System.out.println(HELD);
        }
      }
    }
  }
}
