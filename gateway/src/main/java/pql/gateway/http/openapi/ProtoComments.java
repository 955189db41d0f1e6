package pql.gateway.http.openapi;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leading proto comment of a message, field, enum, service or method, from the source info
 * the gateway's descriptors carry (see {@code CommentedDescriptors}); empty when there is none.
 */
final class ProtoComments {

    private static final Map<Descriptors.FileDescriptor, Map<List<Integer>, String>> BY_FILE = new ConcurrentHashMap<>();

    private ProtoComments() {
    }

    static String of(Descriptors.GenericDescriptor descriptor) {
        List<Integer> path = path(descriptor);
        return path == null ? "" : comments(descriptor.getFile()).getOrDefault(path, "");
    }

    private static Map<List<Integer>, String> comments(Descriptors.FileDescriptor file) {
        return BY_FILE.computeIfAbsent(file, f -> {
            Map<List<Integer>, String> comments = new ConcurrentHashMap<>();
            for (SourceCodeInfo.Location location : f.toProto().getSourceCodeInfo().getLocationList()) {
                String text = location.getLeadingComments().strip();
                if (!text.isEmpty()) {
                    comments.put(List.copyOf(location.getPathList()), text.replaceAll("\\s*\\n\\s*", " "));
                }
            }
            return comments;
        });
    }

    /** The descriptor's path in its file (field numbers of FileDescriptorProto and the nested protos). */
    private static List<Integer> path(Descriptors.GenericDescriptor descriptor) {
        List<Integer> path = new ArrayList<>();
        if (descriptor instanceof Descriptors.Descriptor message) {
            return messagePath(message);
        } else if (descriptor instanceof Descriptors.FieldDescriptor field && !field.isExtension()) {
            path.addAll(messagePath(field.getContainingType()));
            path.addAll(List.of(2, field.getIndex()));
        } else if (descriptor instanceof Descriptors.EnumDescriptor enumType) {
            if (enumType.getContainingType() == null) {
                path.addAll(List.of(5, enumType.getIndex()));
            } else {
                path.addAll(messagePath(enumType.getContainingType()));
                path.addAll(List.of(4, enumType.getIndex()));
            }
        } else if (descriptor instanceof Descriptors.ServiceDescriptor service) {
            path.addAll(List.of(6, service.getIndex()));
        } else if (descriptor instanceof Descriptors.MethodDescriptor method) {
            path.addAll(List.of(6, method.getService().getIndex(), 2, method.getIndex()));
        } else {
            return null;
        }
        return path;
    }

    private static List<Integer> messagePath(Descriptors.Descriptor message) {
        List<Integer> path = new ArrayList<>();
        if (message.getContainingType() == null) {
            path.addAll(List.of(4, message.getIndex()));
        } else {
            path.addAll(messagePath(message.getContainingType()));
            path.addAll(List.of(3, message.getIndex()));
        }
        return path;
    }
}
