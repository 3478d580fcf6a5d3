package dev.wal.vfs.local;

import com.google.common.jimfs.Configuration;

/** The conformance kit over the local backend on jimfs's Unix configuration. */
class LocalVfsOnJimfsUnixContractTest extends LocalVfsOnJimfsContractTest {
  @Override
  Configuration configuration() {
    return Configuration.unix();
  }
}
