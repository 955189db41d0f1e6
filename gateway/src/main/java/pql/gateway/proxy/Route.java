package pql.gateway.proxy;

import io.grpc.Channel;
import io.grpc.ServiceDescriptor;

/**
 * One public service and the backend that implements it.
 *
 * @param backendName "ingest", "scoring" or "forecast", for health and logs
 */
public record Route(ServiceDescriptor service, String backendName, Channel backend) {

    public String serviceName() {
        return service.getName();
    }
}
