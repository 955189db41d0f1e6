package pql.eventstore.kurrentdb.server;

import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.proto.gossip.GossipGrpc;
import io.kurrent.dbclient.proto.gossip.GossipOuterClass.ClusterInfo;
import io.kurrent.dbclient.proto.gossip.GossipOuterClass.EndPoint;
import io.kurrent.dbclient.proto.gossip.GossipOuterClass.MemberInfo;
import io.kurrent.dbclient.proto.shared.Shared;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * Cluster gossip of a single-node "cluster": this node, alive and leader. Clients that discover
 * the cluster ({@code kurrentdb+discover://}) ask it before choosing a node.
 */
final class GossipService extends GossipGrpc.GossipImplBase {

    private final UUID instanceId = UUID.randomUUID();
    private final String host;
    private final IntSupplier port;

    GossipService(String host, IntSupplier port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public void read(Shared.Empty request, StreamObserver<ClusterInfo> responses) {
        responses.onNext(ClusterInfo.newBuilder().addMembers(MemberInfo.newBuilder()
                .setInstanceId(Shared.UUID.newBuilder().setString(instanceId.toString()))
                .setTimeStamp(System.currentTimeMillis())
                .setState(MemberInfo.VNodeState.Leader)
                .setIsAlive(true)
                .setHttpEndPoint(EndPoint.newBuilder().setAddress(host).setPort(port.getAsInt())))
                .build());
        responses.onCompleted();
    }
}
