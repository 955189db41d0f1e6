package pql.gateway.proxy;

import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.util.function.Supplier;
import pql.common.grpc.RawBytesMarshaller;

/**
 * Builds the gateway's copy of a public service: the same service and method names, types and
 * schema (so server reflection lists the real API), each method forwarding raw bytes to the
 * backend channel.
 */
public final class ProxyServices {

    private ProxyServices() {
    }

    /**
     * @param service   the public service, e.g. {@code ScoringServiceGrpc.getServiceDescriptor()}
     * @param backend   the channel of the service that implements it
     * @param principal the authenticated caller of the current call (null when none), sent on as
     *                  {@code pql-principal}
     */
    public static ServerServiceDefinition forward(ServiceDescriptor service, Channel backend, Supplier<String> principal) {
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(service.getName())
                .setSchemaDescriptor(CommentedDescriptors.schemaOf(service));
        java.util.List<MethodDescriptor<byte[], byte[]>> methods = new java.util.ArrayList<>();
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RawBytesMarshaller.INSTANCE, RawBytesMarshaller.INSTANCE).build();
            methods.add(raw);
            descriptor.addMethod(raw);
        }
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor.build());
        for (MethodDescriptor<byte[], byte[]> method : methods) {
            definition.addMethod(method, new ForwardingCallHandler(backend, method, principal));
        }
        return definition.build();
    }
}
