package pql.gateway.proxy;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The API's descriptors with their proto comments, for server reflection. protoc strips the
 * comments (source info) from the descriptors it embeds in the Java stubs; the proto module also
 * writes a descriptor set that keeps them (resource {@value #RESOURCE}), and the files are rebuilt
 * from it here, so grpcurl describe, grpcui and Evans show what each service and field means.
 */
public final class CommentedDescriptors {

    static final String RESOURCE = "/pql/v1/pql-v1-descriptors.binpb";

    private static final Map<String, FileDescriptorProto> WITH_SOURCE_INFO = load();
    private static final Map<String, FileDescriptor> REBUILT = new HashMap<>();

    private CommentedDescriptors() {
    }

    /**
     * The schema descriptor to serve for {@code service}: the same service from the file rebuilt
     * with its comments, or the stub's own when the set does not have the file.
     */
    public static Object schemaOf(ServiceDescriptor service) {
        Object schema = service.getSchemaDescriptor();
        if (!(schema instanceof ProtoServiceDescriptorSupplier supplier)) {
            return schema;
        }
        Descriptors.ServiceDescriptor original = supplier.getServiceDescriptor();
        Descriptors.ServiceDescriptor commented = withComments(original.getFile()).findServiceByName(original.getName());
        return commented == null ? schema : new Schema(commented);
    }

    /** {@code file} rebuilt from the set (its dependencies too), or itself when the set lacks it. */
    static synchronized FileDescriptor withComments(FileDescriptor file) {
        FileDescriptor done = REBUILT.get(file.getName());
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = WITH_SOURCE_INFO.get(file.getName());
        FileDescriptor result = file;
        if (proto != null) {
            FileDescriptor[] dependencies = file.getDependencies().stream()
                    .map(CommentedDescriptors::withComments).toArray(FileDescriptor[]::new);
            try {
                result = FileDescriptor.buildFrom(proto, dependencies);
            } catch (Descriptors.DescriptorValidationException e) {
                throw new IllegalStateException("the descriptor set " + RESOURCE + " does not match " + file.getName(), e);
            }
        }
        REBUILT.put(file.getName(), result);
        return result;
    }

    private static Map<String, FileDescriptorProto> load() {
        Map<String, FileDescriptorProto> files = new HashMap<>();
        try (InputStream in = CommentedDescriptors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return files; // without the set, reflection still works, only without comments
            }
            for (FileDescriptorProto file : FileDescriptorSet.parseFrom(in).getFileList()) {
                files.put(file.getName(), file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return files;
    }

    private record Schema(Descriptors.ServiceDescriptor service)
            implements ProtoFileDescriptorSupplier, ProtoServiceDescriptorSupplier {
        @Override
        public FileDescriptor getFileDescriptor() {
            return service.getFile();
        }

        @Override
        public Descriptors.ServiceDescriptor getServiceDescriptor() {
            return service;
        }
    }
}
