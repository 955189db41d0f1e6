package pql.common.grpc;

import com.codahale.metrics.MetricRegistry;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Latency and status code of every gRPC call a server answers, per method, in the process's
 * Dropwizard registry (so on the admin port's {@code /metrics} and {@code /prometheus}):
 * <ul>
 *   <li>{@code grpc.server.<service>.<Method>.latency}: timer from the call's start to its status
 *       (for a stream, the whole stream);</li>
 *   <li>{@code grpc.server.<service>.<Method>.code.<CODE>}: meter of calls ended with that code,
 *       e.g. {@code grpc.server.pql.v1.ScoringService.GetAccountScore.code.OK}. A call the caller
 *       cancelled counts as {@code CANCELLED}.</li>
 * </ul>
 */
public final class GrpcCallMetrics implements ServerInterceptor {

    private final MetricRegistry registry;

    public GrpcCallMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /** The prefix of one method's metrics: {@code grpc.server.pql.v1.ScoringService.GetAccountScore}. */
    public static String prefix(String fullMethodName) {
        return "grpc.server." + fullMethodName.replace('/', '.');
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String prefix = prefix(call.getMethodDescriptor().getFullMethodName());
        long started = System.nanoTime();
        AtomicBoolean counted = new AtomicBoolean();
        Runnable cancelled = () -> record(prefix, started, counted, Status.Code.CANCELLED);
        ServerCall<ReqT, RespT> measured = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                record(prefix, started, counted, status.getCode());
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<ReqT> listener = next.startCall(measured, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                cancelled.run();
                super.onCancel();
            }
        };
    }

    private void record(String prefix, long started, AtomicBoolean counted, Status.Code code) {
        if (counted.compareAndSet(false, true)) {
            registry.timer(prefix + ".latency").update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            registry.meter(prefix + ".code." + code.name()).mark();
        }
    }
}
