package pql.gateway.proxy;

import com.google.protobuf.StringValue;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;

/** A test API with one method of each call shape, so the proxy is tested on all four. */
final class EchoService {

    static final String NAME = "test.EchoService";

    static final MethodDescriptor<StringValue, StringValue> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<StringValue, StringValue> SERVER_STREAMING =
            method("ServerStreaming", MethodDescriptor.MethodType.SERVER_STREAMING);
    static final MethodDescriptor<StringValue, StringValue> CLIENT_STREAMING =
            method("ClientStreaming", MethodDescriptor.MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<StringValue, StringValue> BIDI =
            method("Bidi", MethodDescriptor.MethodType.BIDI_STREAMING);

    static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.newBuilder(NAME)
            .addMethod(UNARY).addMethod(SERVER_STREAMING).addMethod(CLIENT_STREAMING).addMethod(BIDI)
            .build();

    private EchoService() {
    }

    private static MethodDescriptor<StringValue, StringValue> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<StringValue, StringValue>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(NAME, name))
                .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
                .build();
    }

    static StringValue text(String value) {
        return StringValue.of(value);
    }
}
