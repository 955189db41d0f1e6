package pql.gateway.proxy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Forwards one call of any shape (unary, server, client or bidi streaming) to a backend, as raw
 * bytes. Each side asks for the next message only when the other side can take it, so a slow
 * consumer slows the producer instead of filling the gateway's memory. Cancellation crosses in
 * both directions; status, headers and trailers (with google.rpc.Status details) come back as
 * the backend sent them; the caller's deadline bounds the backend call.
 */
final class ForwardingCallHandler implements ServerCallHandler<byte[], byte[]> {

    private final Channel backend;
    private final MethodDescriptor<byte[], byte[]> method;
    private final Supplier<String> principal;

    ForwardingCallHandler(Channel backend, MethodDescriptor<byte[], byte[]> method, Supplier<String> principal) {
        this.backend = backend;
        this.method = method;
        this.principal = principal;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> serverCall, Metadata headers) {
        CallOptions options = CallOptions.DEFAULT;
        // The channel would also pick the deadline up from the current context; stating it keeps
        // the rule visible and holds even if the call is started from another context.
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null) {
            options = options.withDeadline(deadline);
        }
        ClientCall<byte[], byte[]> clientCall = backend.newCall(method, options);
        Pump pump = new Pump(serverCall, clientCall, Context.current());
        clientCall.start(pump.fromBackend, ForwardedHeaders.request(headers, principal.get()));
        clientCall.request(1);
        serverCall.request(1);
        return pump.fromCaller;
    }

    /**
     * The two listeners of one forwarded call. ServerCall methods other than request() are called
     * only from the backend listener's callbacks, and ClientCall methods other than request() only
     * from the caller listener's: each side's calls stay serialized as gRPC requires.
     */
    private static final class Pump {

        private final ServerCall<byte[], byte[]> serverCall;
        private final ClientCall<byte[], byte[]> clientCall;
        /** The caller sent a message the backend could not take yet: ask for more when it can. */
        private final AtomicBoolean callerWaitsForBackend = new AtomicBoolean();
        /** The backend sent a message the caller could not take yet. */
        private final AtomicBoolean backendWaitsForCaller = new AtomicBoolean();
        /** The caller's call: cancelled once gRPC itself ended it (reset, deadline, transport refusal). */
        private final Context callerContext;

        final ServerCall.Listener<byte[]> fromCaller = new ServerCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                clientCall.sendMessage(message);
                callerWaitsForBackend.set(true);
                if (clientCall.isReady() && callerWaitsForBackend.compareAndSet(true, false)) {
                    serverCall.request(1);
                }
            }

            @Override
            public void onHalfClose() {
                clientCall.halfClose();
            }

            @Override
            public void onCancel() {
                clientCall.cancel("the caller cancelled the call", null);
            }

            @Override
            public void onReady() {
                if (backendWaitsForCaller.compareAndSet(true, false)) {
                    clientCall.request(1);
                }
            }
        };

        final ClientCall.Listener<byte[]> fromBackend = new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata headers) {
                serverCall.sendHeaders(ForwardedHeaders.response(headers));
            }

            @Override
            public void onMessage(byte[] message) {
                serverCall.sendMessage(message);
                backendWaitsForCaller.set(true);
                if (serverCall.isReady() && backendWaitsForCaller.compareAndSet(true, false)) {
                    clientCall.request(1);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                // gRPC ends a cancelled call with its own status (a message over the transport's
                // limit: RESOURCE_EXHAUSTED). The backend call closes first, cancelled with the
                // caller's context, and its CANCELLED sent here would overtake that status.
                if (callerContext.isCancelled()) {
                    return;
                }
                try {
                    serverCall.close(status, ForwardedHeaders.response(trailers));
                } catch (IllegalStateException alreadyClosed) {
                    // The caller went away first; nothing is left to tell it.
                }
            }

            @Override
            public void onReady() {
                if (callerWaitsForBackend.compareAndSet(true, false)) {
                    serverCall.request(1);
                }
            }
        };

        Pump(ServerCall<byte[], byte[]> serverCall, ClientCall<byte[], byte[]> clientCall, Context callerContext) {
            this.serverCall = serverCall;
            this.clientCall = clientCall;
            this.callerContext = callerContext;
        }
    }
}
