package dev.wal.vfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The providers one class loader can see, indexed by name.
 *
 * <p>Design note: loading is tolerant and lookup is strict. A provider whose class is missing or
 * whose constructor throws is remembered as broken, and the rest load; a lookup that fails names
 * the broken ones, since the wanted provider may be among them. Two providers with one name are
 * remembered, sorted by class name so the message does not depend on class-path order, and every
 * lookup of that name fails; other names still work.
 *
 * <p>Instances are immutable and safe for use by many threads.
 */
final class VfsProviders {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,126}");

  /** Loads the default registry on first use (the initialization-on-demand holder idiom). */
  private static final class Holder {
    static final VfsProviders DEFAULT = load(VfsProvider.class.getClassLoader());
  }

  private final Map<String, VfsProvider> byName;
  private final Map<String, SortedSet<String>> duplicates;
  private final List<String> broken;

  private VfsProviders(
      Map<String, VfsProvider> byName, Map<String, SortedSet<String>> duplicates, List<String> broken) {
    this.byName = byName;
    this.duplicates = duplicates;
    this.broken = broken;
  }

  static VfsProviders defaultRegistry() {
    return Holder.DEFAULT;
  }

  static VfsProviders load(ClassLoader classLoader) {
    Map<String, VfsProvider> byName = new TreeMap<>();
    Map<String, SortedSet<String>> duplicates = new TreeMap<>();
    List<String> broken = new ArrayList<>();
    Iterator<ServiceLoader.Provider<VfsProvider>> providers =
        ServiceLoader.load(VfsProvider.class, classLoader).stream().iterator();
    while (true) {
      ServiceLoader.Provider<VfsProvider> candidate;
      VfsProvider provider;
      try {
        // ServiceLoader makes a best effort to go on after an error, so one bad entry in a
        // services file does not hide the providers after it.
        if (!providers.hasNext()) {
          break;
        }
        candidate = providers.next();
        provider = candidate.get();
      } catch (ServiceConfigurationError e) {
        broken.add(describe(e));
        continue;
      }
      String name = provider.name();
      if (name == null || !NAME.matcher(name).matches()) {
        broken.add(
            provider.getClass().getName()
                + ": name '"
                + name
                + "' is not lowercase ASCII letters and digits starting with a letter");
        continue;
      }
      VfsProvider previous = byName.putIfAbsent(name, provider);
      if (previous != null) {
        SortedSet<String> classes = duplicates.computeIfAbsent(name, n -> new TreeSet<>());
        classes.add(previous.getClass().getName());
        classes.add(provider.getClass().getName());
      }
    }
    duplicates.keySet().forEach(byName::remove);
    return new VfsProviders(
        Collections.unmodifiableMap(byName),
        Collections.unmodifiableMap(duplicates),
        List.copyOf(broken));
  }

  private static String describe(ServiceConfigurationError error) {
    Throwable cause = error.getCause();
    return cause == null ? error.getMessage() : error.getMessage() + " (" + cause + ")";
  }

  SortedSet<String> names() {
    SortedSet<String> names = new TreeSet<>(byName.keySet());
    names.addAll(duplicates.keySet());
    return Collections.unmodifiableSortedSet(names);
  }

  VfsProvider forName(String name) {
    String key = name.toLowerCase(java.util.Locale.ROOT);
    SortedSet<String> classes = duplicates.get(key);
    if (classes != null) {
      throw new IllegalStateException(
          "more than one Vfs provider is named '" + key + "': " + String.join(", ", classes)
              + "; remove all but one from the class path");
    }
    VfsProvider provider = byName.get(key);
    if (provider == null) {
      StringBuilder message =
          new StringBuilder("no Vfs provider is named '").append(name).append("'; found: ");
      message.append(names().isEmpty() ? "none" : String.join(", ", names()));
      if (!broken.isEmpty()) {
        message.append("; providers that failed to load: ").append(String.join("; ", broken));
      }
      throw new IllegalArgumentException(message.toString());
    }
    return provider;
  }

  Vfs open(VfsSpec spec) throws IOException {
    VfsProvider provider = forName(spec.name());
    Set<String> supported = provider.supportedOptions();
    List<String> unknown =
        spec.options().keySet().stream().filter(k -> !supported.contains(k)).collect(Collectors.toList());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "spec '"
              + spec
              + "': unknown option"
              + (unknown.size() == 1 ? " " : "s ")
              + String.join(", ", unknown)
              + " for provider '"
              + provider.name()
              + "' (it accepts: "
              + (supported.isEmpty() ? "none" : String.join(", ", new TreeSet<>(supported)))
              + ")");
    }
    return provider.open(spec);
  }
}
