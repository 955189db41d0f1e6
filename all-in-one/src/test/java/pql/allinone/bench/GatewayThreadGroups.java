package pql.allinone.bench;

import java.util.List;

/**
 * The thread groups of the gateway ingest benchmark's CPU split ({@link pql.load.ThreadCpu}):
 * what each thread of the all-in-one and of the load generator does, told by its name.
 */
final class GatewayThreadGroups {

    static final String LOAD_GENERATOR = "load generator";
    static final String NETTY = "gRPC Netty server I/O";
    static final String GRPC_EXECUTORS = "gRPC call executors";
    static final String INGEST = "ingest completions";
    static final String STORE = "store sequencer + committer";
    static final String ROCKSDB = "RocksDB background";
    static final String GC = "GC";
    static final String JIT = "JIT";
    static final String OTHER = "other (scoring, Jetty, JVM)";
    static final List<String> GROUPS = List.of(LOAD_GENERATOR, NETTY, GRPC_EXECUTORS, INGEST, STORE, ROCKSDB, GC, JIT, OTHER);

    private GatewayThreadGroups() {
    }

    static String group(String threadName) {
        // the main thread is "java" to the kernel and "main" to Java; under exec:java it is named
        // after the main class (the kernel keeps 15 characters of a name)
        if (threadName.equals("java") || threadName.equals("main") || threadName.startsWith("bench-client")
                || threadName.startsWith("pql.allinone.be")) {
            return LOAD_GENERATOR;
        }
        if (threadName.startsWith("grpc-nio-") || threadName.startsWith("gateway-grpc-") || threadName.startsWith("grpc-default-w") || threadName.startsWith("grpc-default-b")
                || threadName.startsWith("grpc-epoll")) {
            return NETTY;
        }
        if (threadName.startsWith("grpc-default-e") || threadName.startsWith("gateway-") || threadName.startsWith("grpc-")) {
            return GRPC_EXECUTORS;
        }
        if (threadName.startsWith("ingest-")) {
            return INGEST;
        }
        if (threadName.equals("store-sequencer") || threadName.equals("store-committer")) {
            return STORE;
        }
        if (threadName.startsWith("rocksdb")) {
            return ROCKSDB;
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")) {
            return GC;
        }
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return JIT;
        }
        return OTHER;
    }
}
