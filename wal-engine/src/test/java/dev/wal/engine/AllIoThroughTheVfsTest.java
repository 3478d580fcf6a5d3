package dev.wal.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine does all its I/O through the {@link dev.wal.vfs.Vfs} SPI, so that every backend,
 * and the fault-injecting one above all, sees every operation: its compiled classes use no file
 * API of the JDK and name no backend.
 */
class AllIoThroughTheVfsTest {
  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.wal.engine");

  @Test
  void theEngineUsesNoFileApiOfTheJdk() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.nio.file.Files")
        .orShould()
        .dependOnClassesThat()
        .haveNameMatching("java\\.io\\.File.*|java\\.nio\\.file\\.Path.*|java\\.io\\.RandomAccessFile")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.nio.channels.FileChannel.class)
        .because("the engine does all I/O through the Vfs SPI")
        .check(ENGINE);
  }

  @Test
  void theEngineNamesNoBackend() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.wal.vfs.local..", "dev.wal.vfs.memory..", "dev.wal.vfs.faulty..")
        .because("the engine is written against the Vfs SPI alone")
        .check(ENGINE);
  }
}
