package dev.wal.vfs.local;

import com.google.common.jimfs.Configuration;

/**
 * The conformance kit over the local backend on jimfs's Windows configuration: drive letters,
 * backslashes and case-insensitive names.
 */
class LocalVfsOnJimfsWindowsContractTest extends LocalVfsOnJimfsContractTest {
  @Override
  Configuration configuration() {
    return Configuration.windows();
  }
}
