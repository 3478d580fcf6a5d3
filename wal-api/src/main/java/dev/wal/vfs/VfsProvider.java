package dev.wal.vfs;

import java.io.IOException;
import java.util.Set;
import java.util.SortedSet;

/**
 * Opens {@link Vfs} instances for specs that start with its {@linkplain #name() name}.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}, using the class loader of this
 * interface unless one is given: list the implementation in {@code
 * META-INF/services/dev.wal.vfs.VfsProvider} (and {@code provides dev.wal.vfs.VfsProvider with
 * ...} in {@code module-info.java}). An implementation needs a public no-argument constructor.
 *
 * <p>Lookup is strict: an unknown name fails with a message listing the names found; two
 * providers with one name make every lookup of that name fail, naming both classes; a provider
 * whose constructor throws is left out (and named in lookup failures) without stopping the
 * others.
 *
 * <p>Implementations must be safe for use by many threads.
 */
public interface VfsProvider {

  /**
   * Returns the provider's name: lowercase ASCII letters and digits, starting with a letter, at
   * most 127 characters. Specs match it ignoring case.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the option keys this provider accepts in a spec's query. A spec with any other key is
   * refused before {@link #open(VfsSpec)} is called, with a message naming the key.
   *
   * @return the accepted keys
   */
  default Set<String> supportedOptions() {
    return Set.of();
  }

  /**
   * Opens the storage a spec names. The spec's provider name is this provider's and its options
   * are among {@link #supportedOptions()}; their values are checked here.
   *
   * @param spec the parsed spec
   * @return the opened storage
   * @throws IllegalArgumentException if the location or an option value is invalid; the message
   *     names it
   * @throws IOException if the storage cannot be opened
   */
  Vfs open(VfsSpec spec) throws IOException;

  /**
   * Returns the provider of that name, found with this interface's class loader.
   *
   * @param name a provider name, matched ignoring case
   * @return the provider
   * @throws IllegalArgumentException if none has that name; the message lists the names found
   * @throws IllegalStateException if two have that name; the message names both classes
   */
  static VfsProvider forName(String name) {
    return VfsProviders.defaultRegistry().forName(name);
  }

  /** {@return the names of the providers found with this interface's class loader, sorted} */
  static SortedSet<String> availableNames() {
    return VfsProviders.defaultRegistry().names();
  }
}
