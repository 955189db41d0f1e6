package pql.eventstore.kurrentdb;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import pql.eventstore.EventStore;
import pql.eventstore.EventStoreContractTest;

/**
 * The shared contract against a real KurrentDB (or EventStoreDB) server, when there is one:
 * set PQL_KURRENTDB_URL to its connection string, e.g.
 * {@code PQL_KURRENTDB_URL=kurrentdb://localhost:2113?tls=false}. Without it every test is
 * skipped with that reason. Each test works on streams of its own, so a server holding other
 * data is fine.
 */
class KurrentDbRealServerContractTest extends EventStoreContractTest {

    static final String URL_VARIABLE = "PQL_KURRENTDB_URL";

    /** Checked per test (the contract opens a store before each): every test reports the skip. */
    @Override
    protected EventStore createStore() {
        String url = System.getenv(URL_VARIABLE);
        assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set: no real KurrentDB server to run the "
                + "contract against (e.g. PQL_KURRENTDB_URL=kurrentdb://localhost:2113?tls=false)");
        return KurrentDbEventStore.open(KurrentDbStoreOptions.of(url));
    }

    @Override
    protected EventStore reopen(EventStore store) {
        store.close();
        return createStore();
    }
}
