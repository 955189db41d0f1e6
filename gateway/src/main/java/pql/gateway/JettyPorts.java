package pql.gateway;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

/** The ports Jetty actually bound, for configs that ask for port 0. */
final class JettyPorts {

    private JettyPorts() {
    }

    /** The first connector's port: Dropwizard's default server lists the application connector first. */
    static int applicationPort(Server jetty) {
        if (jetty == null) {
            throw new IllegalStateException("the HTTP server has not started");
        }
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof NetworkConnector network && "application".equals(connector.getName())) {
                return network.getLocalPort();
            }
        }
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                return network.getLocalPort();
            }
        }
        throw new IllegalStateException("no network connector");
    }

    /** The admin connector's port. */
    static int adminPort(Server jetty) {
        if (jetty == null) {
            throw new IllegalStateException("the HTTP server has not started");
        }
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof NetworkConnector network && "admin".equals(connector.getName())) {
                return network.getLocalPort();
            }
        }
        throw new IllegalStateException("no admin connector");
    }
}
