/**
 * JUnit 5 support for the faulty storage: {@link dev.wal.vfs.faulty.junit.FaultyVfsExtension}.
 * Needs junit-jupiter-api on the class path, which this module declares optional.
 */
package dev.wal.vfs.faulty.junit;
