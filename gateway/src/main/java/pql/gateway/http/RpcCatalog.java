package pql.gateway.http;

import com.google.protobuf.Descriptors;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pql.common.grpc.RawBytesMarshaller;
import pql.gateway.proxy.CommentedDescriptors;

/**
 * Every public gRPC method, read from the descriptors of the services the gateway serves (with
 * their proto comments): the HTTP/JSON route and the OpenAPI document both come from here, so a
 * method added to a proto (and served by the gateway) is reachable and documented without code.
 */
public final class RpcCatalog {

    /** One method: its proto descriptor (types, comments) and the raw-bytes gRPC method to call. */
    public record RpcMethod(Descriptors.MethodDescriptor proto, MethodDescriptor<byte[], byte[]> grpc) {

        public String serviceName() {
            return proto.getService().getFullName();
        }

        public boolean clientStreaming() {
            return proto.isClientStreaming();
        }

        public boolean serverStreaming() {
            return proto.isServerStreaming();
        }
    }

    private final Map<String, Map<String, RpcMethod>> byService;

    private RpcCatalog(Map<String, Map<String, RpcMethod>> byService) {
        this.byService = byService;
    }

    /** The methods of {@code services} (those without a proto schema, if any, are left out). */
    public static RpcCatalog of(List<ServerServiceDefinition> services) {
        Map<String, Map<String, RpcMethod>> byService = new LinkedHashMap<>();
        for (ServerServiceDefinition service : services) {
            Object schema = CommentedDescriptors.schemaOf(service.getServiceDescriptor());
            if (!(schema instanceof ProtoServiceDescriptorSupplier supplier)) {
                continue;
            }
            Descriptors.ServiceDescriptor proto = supplier.getServiceDescriptor();
            Map<String, RpcMethod> methods = new LinkedHashMap<>();
            for (Descriptors.MethodDescriptor method : proto.getMethods()) {
                methods.put(method.getName(), new RpcMethod(method, rawMethod(method)));
            }
            byService.put(proto.getFullName(), methods);
        }
        return new RpcCatalog(byService);
    }

    private static MethodDescriptor<byte[], byte[]> rawMethod(Descriptors.MethodDescriptor method) {
        MethodDescriptor.MethodType type = method.isClientStreaming()
                ? method.isServerStreaming() ? MethodDescriptor.MethodType.BIDI_STREAMING : MethodDescriptor.MethodType.CLIENT_STREAMING
                : method.isServerStreaming() ? MethodDescriptor.MethodType.SERVER_STREAMING : MethodDescriptor.MethodType.UNARY;
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(method.getService().getFullName(), method.getName()))
                .setRequestMarshaller(RawBytesMarshaller.INSTANCE)
                .setResponseMarshaller(RawBytesMarshaller.INSTANCE)
                .build();
    }

    public Optional<RpcMethod> find(String service, String method) {
        return Optional.ofNullable(byService.getOrDefault(service, Map.of()).get(method));
    }

    public List<String> serviceNames() {
        return List.copyOf(byService.keySet());
    }

    /** The method names of {@code service}, empty for an unknown one. */
    public List<String> methodNames(String service) {
        return List.copyOf(byService.getOrDefault(service, Map.of()).keySet());
    }

    /** Every method, service by service in serving order. */
    public List<RpcMethod> methods() {
        List<RpcMethod> all = new ArrayList<>();
        byService.values().forEach(methods -> all.addAll(methods.values()));
        return all;
    }
}
