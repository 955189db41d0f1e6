package pql.gateway.proxy;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import pql.common.grpc.GrpcErrors;
import pql.common.grpc.RawBytesMarshaller;

/**
 * The gateway's answer to a method it does not serve, as a fallback registry: unlike gRPC's
 * built-in answer, a handler found here runs behind the server's interceptors, so the key check
 * comes first and a caller without a key gets UNAUTHENTICATED like for any other method.
 */
public final class UnknownMethods {

    public static final HandlerRegistry REGISTRY = new HandlerRegistry() {
        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String fullMethodName, String authority) {
            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNKNOWN)
                    .setFullMethodName(fullMethodName)
                    .setRequestMarshaller(RawBytesMarshaller.INSTANCE)
                    .setResponseMarshaller(RawBytesMarshaller.INSTANCE)
                    .build();
            return ServerMethodDefinition.create(method, NOT_FOUND);
        }
    };

    private static final ServerCallHandler<byte[], byte[]> NOT_FOUND = new ServerCallHandler<>() {
        @Override
        public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
            StatusRuntimeException refusal = GrpcErrors.error(Status.Code.UNIMPLEMENTED, "METHOD_NOT_FOUND",
                    "method not found: " + call.getMethodDescriptor().getFullMethodName());
            call.close(refusal.getStatus(), refusal.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
    };

    private UnknownMethods() {
    }
}
