package pql.eventstore.kurrentdb.server;

import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import io.kurrent.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethod;
import io.kurrent.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethods;
import io.kurrent.dbclient.proto.shared.Shared;

/**
 * What the client asks first on every connection: the server's version and methods. Like the real
 * server it lists only what it serves, with lower-case names and the read features it has; it
 * leaves out batch append and multi-stream append sessions, so the client never tries them.
 */
final class ServerFeaturesService extends ServerFeaturesGrpc.ServerFeaturesImplBase {

    static final String VERSION = "25.0.0";

    @Override
    public void getSupportedMethods(Shared.Empty request, StreamObserver<SupportedMethods> responses) {
        responses.onNext(SupportedMethods.newBuilder()
                .setEventStoreServerVersion(VERSION)
                .addMethods(method("read", "event_store.client.streams.streams").addFeatures("position").addFeatures("events"))
                .addMethods(method("append", "event_store.client.streams.streams"))
                .addMethods(method("read", "event_store.client.gossip.gossip"))
                .addMethods(method("getsupportedmethods", "event_store.client.server_features.serverfeatures"))
                .build());
        responses.onCompleted();
    }

    private static SupportedMethod.Builder method(String name, String service) {
        return SupportedMethod.newBuilder().setMethodName(name).setServiceName(service);
    }
}
