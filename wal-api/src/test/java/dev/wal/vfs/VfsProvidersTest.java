package dev.wal.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider lookup through class loaders whose services files list the {@link TestProviders}. */
class VfsProvidersTest {
  @TempDir Path temp;
  private final List<URLClassLoader> loaders = new ArrayList<>();
  private int directories;

  @AfterEach
  void closeLoaders() throws IOException {
    for (URLClassLoader loader : loaders) {
      loader.close();
    }
  }

  /** {@return a class-path directory whose services file lists these classes} */
  private Path servicesDirectory(Class<?>... providers) throws IOException {
    Path directory = temp.resolve("cp" + directories++);
    Path services = directory.resolve("META-INF/services/" + VfsProvider.class.getName());
    Files.createDirectories(services.getParent());
    List<String> lines = new ArrayList<>();
    for (Class<?> provider : providers) {
      lines.add(provider.getName());
    }
    Files.write(services, lines);
    return directory;
  }

  private ClassLoader loader(Path... classPath) throws IOException {
    URL[] urls = new URL[classPath.length];
    for (int i = 0; i < classPath.length; i++) {
      urls[i] = classPath[i].toUri().toURL();
    }
    URLClassLoader loader = new URLClassLoader(urls, getClass().getClassLoader());
    loaders.add(loader);
    return loader;
  }

  @Test
  void aSpecOpensThroughTheProviderOfItsNameIgnoringCase() throws IOException {
    ClassLoader loader = loader(servicesDirectory(TestProviders.Alpha.class));
    try (Vfs vfs = Vfs.open("ALPHA:x?size=1k", loader)) {
      assertThat(vfs).isInstanceOf(HeapVfs.class);
      assertThat(vfs.spec()).isEqualTo("alpha:x?size=1k");
    }
    assertThat(VfsProviders.load(loader).forName("Alpha")).isInstanceOf(TestProviders.Alpha.class);
  }

  @Test
  void anUnknownNameFailsListingTheNamesFound() throws IOException {
    ClassLoader loader = loader(servicesDirectory(TestProviders.Alpha.class));
    assertThatThrownBy(() -> Vfs.open("zeta:x", loader))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no Vfs provider is named 'zeta'")
        .hasMessageContaining("found: alpha");
  }

  @Test
  void withNoProvidersTheMessageSaysNoneWereFound() {
    assertThatThrownBy(() -> Vfs.open("memory:x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found: none");
    assertThat(VfsProvider.availableNames()).isEmpty();
  }

  @Test
  void anUnknownOptionFailsNamingItAndTheAcceptedOnes() throws IOException {
    ClassLoader loader = loader(servicesDirectory(TestProviders.Alpha.class));
    assertThatThrownBy(() -> Vfs.open("alpha:x?size=1&color=red", loader))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option color")
        .hasMessageContaining("it accepts: size");
  }

  @Test
  void twoProvidersWithOneNameFailNamingBothWhateverTheClassPathOrder() throws IOException {
    Path one = servicesDirectory(TestProviders.DupOne.class, TestProviders.Alpha.class);
    Path two = servicesDirectory(TestProviders.DupTwo.class);
    List<String> messages = new ArrayList<>();
    for (ClassLoader loader : List.of(loader(one, two), loader(two, one))) {
      Throwable failure = catchThrowable(() -> Vfs.open("dup:x", loader));
      assertThat(failure)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(TestProviders.DupOne.class.getName())
          .hasMessageContaining(TestProviders.DupTwo.class.getName());
      messages.add(failure.getMessage());
      assertThat(VfsProviders.load(loader).forName("alpha")).isNotNull();
      assertThat(VfsProviders.load(loader).names()).containsExactly("alpha", "dup");
    }
    assertThat(messages.get(0)).isEqualTo(messages.get(1));
  }

  @Test
  void aProviderWhoseConstructorThrowsDoesNotStopTheOthersAndIsNamedInFailures()
      throws IOException {
    ClassLoader loader =
        loader(servicesDirectory(TestProviders.Broken.class, TestProviders.Alpha.class));
    try (Vfs vfs = Vfs.open("alpha:x", loader)) {
      assertThat(vfs.list()).isEmpty();
    }
    assertThatThrownBy(() -> Vfs.open("broken:x", loader))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found: alpha")
        .hasMessageContaining(TestProviders.Broken.class.getName())
        .hasMessageContaining("broken on purpose");
  }

  @Test
  void aMissingProviderClassDoesNotStopTheOthers() throws IOException {
    Path directory = servicesDirectory();
    Files.write(
        directory.resolve("META-INF/services/" + VfsProvider.class.getName()),
        List.of("dev.wal.vfs.NoSuchProvider", TestProviders.Alpha.class.getName()));
    ClassLoader loader = loader(directory);
    assertThat(VfsProviders.load(loader).names()).containsExactly("alpha");
    assertThatThrownBy(() -> Vfs.open("x:y", loader)).hasMessageContaining("NoSuchProvider");
  }

  @Test
  void aProviderWithAMalformedNameIsLeftOutAndNamed() throws IOException {
    ClassLoader loader =
        loader(servicesDirectory(TestProviders.BadName.class, TestProviders.Alpha.class));
    assertThat(VfsProviders.load(loader).names()).containsExactly("alpha");
    assertThatThrownBy(() -> Vfs.open("x:y", loader))
        .hasMessageContaining(TestProviders.BadName.class.getName())
        .hasMessageContaining("'Bad-Name'");
  }

  @Test
  void aProviderRefusingAnOptionValueSurfacesItsMessage() throws IOException {
    ClassLoader loader = loader(servicesDirectory(TestProviders.Alpha.class));
    assertThatThrownBy(() -> Vfs.open("alpha:x?size=big", loader))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size=big is not a size");
  }
}
