package pql.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The two entry points of the all-in-one module that {@code pql start} and {@code pql sample}
 * call, looked up by name when they run. The CLI is built without the services (the all-in-one
 * depends on all three, the CLI only talks to the gateway), so these classes are not on its
 * compile classpath: {@code ./pql} adds the all-in-one's jars for these two commands only.
 */
final class AllInOneEntryPoints {

    private static final String SERVER_MAIN = "pql.allinone.Main";
    private static final String SAMPLE_FILE = "pql.allinone.sample.SampleJsonLines";

    private AllInOneEntryPoints() {
    }

    /** Starts the all-in-one (Dropwizard {@code server FILE}); returns once it serves, its servers on their own threads. */
    static void startServer(Path config) throws Exception {
        MethodHandle main = find(SERVER_MAIN, "main", MethodType.methodType(void.class, String[].class));
        // a statement, so the call site's type is (String[])void, exactly main's
        call(() -> {
            main.invokeExact(new String[] {"server", config.toString()});
        });
    }

    /** Writes the sample dataset to {@code out} as JSON lines; returns the number of events written. */
    static int writeSample(Path out, int accounts, long seed, Instant anchor) throws Exception {
        MethodHandle write = find(SAMPLE_FILE, "writeFile",
                MethodType.methodType(int.class, Path.class, int.class, long.class, Instant.class));
        int[] written = new int[1];
        call(() -> written[0] = (int) write.invokeExact(out, accounts, seed, anchor));
        return written[0];
    }

    private static MethodHandle find(String className, String method, MethodType type) throws ReflectiveOperationException {
        Class<?> entryPoint;
        try {
            entryPoint = Class.forName(className);
        } catch (ClassNotFoundException missing) {
            throw new IllegalStateException("this command needs the all-in-one on the classpath "
                    + "(all-in-one/target/pql-all-in-one-*.jar and all-in-one/target/lib/*): run it through ./pql", missing);
        }
        return MethodHandles.publicLookup().findStatic(entryPoint, method, type);
    }

    /** A method handle call, its checked exceptions passed on as they are. */
    private interface HandleCall {
        void run() throws Throwable;
    }

    private static void call(HandleCall call) throws Exception {
        try {
            call.run();
        } catch (Exception | Error passOn) {
            throw passOn;
        } catch (Throwable other) {
            throw new IllegalStateException(other);
        }
    }
}
