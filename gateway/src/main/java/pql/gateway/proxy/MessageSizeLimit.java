package pql.gateway.proxy;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import pql.common.grpc.GrpcErrors;
import pql.common.logging.RateLimitedLog;

/**
 * The gateway's message size limit, applied to whole messages after the transport read them.
 *
 * <p>Left to the transport, a message over the limit ends in a race: grpc-java sends
 * RESOURCE_EXHAUSTED and resets the stream the caller is still writing, and the caller often
 * sees only the reset, CANCELLED (grpc-java issue #3996). So the transport accepts up to
 * {@link #transportLimit} and this interceptor refuses anything above the configured limit with a
 * proper RESOURCE_EXHAUSTED once the call's message has arrived, with one rate-limited log line.
 * Beyond the transport limit the transport refuses the message itself, also RESOURCE_EXHAUSTED
 * with one rate-limited line ({@code LogSafety}); {@link ForwardingCallHandler} sends no status of
 * its own for such a call, which would overtake the transport's.
 */
public final class MessageSizeLimit implements ServerInterceptor {

    private static final RateLimitedLog REFUSALS =
            new RateLimitedLog(LoggerFactory.getLogger(MessageSizeLimit.class), Duration.ofSeconds(10));

    private final int maxBytes;

    public MessageSizeLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** What the transport itself accepts: four times the limit, at least 16 MiB, at most 64 MiB. */
    public static int transportLimit(int maxBytes) {
        long fourTimes = 4L * maxBytes;
        return (int) Math.max(maxBytes, Math.min(64L * 1024 * 1024, Math.max(16L * 1024 * 1024, fourTimes)));
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        // Once refused, the status is ours: the handler's own close (CANCELLED, when its backend
        // call is cancelled below) must not overtake it.
        AtomicBoolean refused = new AtomicBoolean();
        ServerCall<ReqT, RespT> guarded = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (!refused.get()) {
                    super.close(status, trailers);
                }
            }
        };
        ServerCall.Listener<ReqT> delegate = next.startCall(guarded, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {

            @Override
            public void onMessage(ReqT message) {
                if (refused.get()) {
                    return;
                }
                long size = sizeOf(message);
                if (size > maxBytes) {
                    refused.set(true);
                    String method = call.getMethodDescriptor().getFullMethodName();
                    REFUSALS.warn("oversized-message", "refused " + method + ": a message of " + size
                            + " bytes (at most " + maxBytes + ")");
                    StatusRuntimeException refusal = GrpcErrors.error(Status.Code.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE",
                            "message of " + size + " bytes exceeds the limit of " + maxBytes + " bytes");
                    call.close(refusal.getStatus(), refusal.getTrailers());
                    // The backend call (if one was opened) must not wait for a message that never comes.
                    super.onCancel();
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused.get()) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                if (!refused.get()) {
                    super.onCancel();
                }
            }

            @Override
            public void onComplete() {
                if (!refused.get()) {
                    super.onComplete();
                }
            }

            @Override
            public void onReady() {
                if (!refused.get()) {
                    super.onReady();
                }
            }
        };
    }

    private static long sizeOf(Object message) {
        if (message instanceof byte[] bytes) {
            return bytes.length;
        }
        if (message instanceof MessageLite proto) {
            return proto.getSerializedSize();
        }
        return 0;
    }
}
