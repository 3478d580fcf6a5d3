package dev.wal.vfs;

import java.util.Set;

/** Providers that tests list in services files of their own class loaders. */
final class TestProviders {
  private TestProviders() {}

  /** A provider that opens a {@link HeapVfs}; named by its subclasses. */
  public abstract static class Base implements VfsProvider {
    @Override
    public Set<String> supportedOptions() {
      return Set.of("size");
    }

    @Override
    public Vfs open(VfsSpec spec) {
      spec.sizeOption("size", 0);
      return new HeapVfs(spec.toString(), new HeapVfs.Storage());
    }
  }

  /** Named {@code alpha}. */
  public static final class Alpha extends Base {
    @Override
    public String name() {
      return "alpha";
    }
  }

  /** Named {@code dup}, like {@link DupTwo}. */
  public static final class DupOne extends Base {
    @Override
    public String name() {
      return "dup";
    }
  }

  /** Named {@code dup}, like {@link DupOne}. */
  public static final class DupTwo extends Base {
    @Override
    public String name() {
      return "dup";
    }
  }

  /** Its constructor throws. */
  public static final class Broken extends Base {
    /** Fails. */
    public Broken() {
      throw new IllegalStateException("broken on purpose");
    }

    @Override
    public String name() {
      return "broken";
    }
  }

  /** Its name breaks the naming rule. */
  public static final class BadName extends Base {
    @Override
    public String name() {
      return "Bad-Name";
    }
  }
}
