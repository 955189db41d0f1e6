package pql.gateway.health;

import io.grpc.BindableService;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import pql.grpc.health.v1.HealthGrpc;
import pql.grpc.health.v1.HealthListRequest;
import pql.grpc.health.v1.HealthListResponse;

/**
 * grpc.health.v1.Health with List. grpc-java's {@link HealthStatusManager} answers Check and
 * Watch but has no List (its proto predates it); this definition serves its Check and Watch
 * unchanged plus a List that asks it for each service the gateway knows, and describes itself
 * to reflection with the current health.proto (pql.grpc.health.v1 stubs, same wire format).
 */
public final class HealthWithList {

    private HealthWithList() {
    }

    /**
     * @param serviceNames the services whose status List reports (besides "", the whole server)
     *     when the manager knows them
     */
    public static ServerServiceDefinition of(HealthStatusManager health, List<String> serviceNames) {
        BindableService checks = health.getHealthService();
        ServerServiceDefinition upstream = checks.bindService();
        List<String> names = new ArrayList<>();
        names.add(HealthStatusManager.SERVICE_NAME_ALL_SERVICES);
        names.addAll(serviceNames);
        ServerMethodDefinition<HealthListRequest, HealthListResponse> list = ServerMethodDefinition.create(
                HealthGrpc.getListMethod(),
                ServerCalls.asyncUnaryCall((request, observer) -> list((io.grpc.health.v1.HealthGrpc.AsyncService) checks, names, observer)));
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(upstream.getServiceDescriptor().getName())
                .setSchemaDescriptor(HealthGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(list.getMethodDescriptor());
        upstream.getMethods().forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor.build()).addMethod(list);
        upstream.getMethods().forEach(definition::addMethod);
        return definition.build();
    }

    // The manager answers Check from memory, on this thread: each answer is in before check returns.
    private static void list(io.grpc.health.v1.HealthGrpc.AsyncService checks, List<String> names,
            StreamObserver<HealthListResponse> observer) {
        HealthListResponse.Builder response = HealthListResponse.newBuilder();
        for (String name : names) {
            checks.check(HealthCheckRequest.newBuilder().setService(name).build(), new StreamObserver<>() {
                @Override
                public void onNext(HealthCheckResponse value) {
                    response.putStatuses(name, pql.grpc.health.v1.HealthCheckResponse.newBuilder()
                            .setStatusValue(value.getStatusValue()).build());
                }

                @Override
                public void onError(Throwable unknownService) {
                    // not registered with the manager (yet): not listed, as Check would say NOT_FOUND
                }

                @Override
                public void onCompleted() {
                }
            });
        }
        observer.onNext(response.build());
        observer.onCompleted();
    }
}
