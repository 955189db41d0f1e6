package pql.gateway.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.regex.Pattern;

/**
 * Gives a value to a bare parameter in the Accept header ({@code text/csv; excel} becomes
 * {@code text/csv; excel=true}) before Jersey parses it. Finance tools send the bare form, which
 * RFC 9110 does not allow and Jersey refuses with an empty 400; read this way it selects the
 * CSV with a byte order mark ({@link ForecastCsv#excelAccepted}).
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public final class BareMediaTypeParameters implements ContainerRequestFilter {

    private static final Pattern BARE = Pattern.compile(";\\s*([A-Za-z0-9!#$&^_.+-]+)\\s*(?=[;,]|$)");

    @Override
    public void filter(ContainerRequestContext request) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (accept != null && accept.indexOf(';') >= 0) {
            String valued = BARE.matcher(accept).replaceAll("; $1=true");
            if (!valued.equals(accept)) {
                request.getHeaders().putSingle(HttpHeaders.ACCEPT, valued);
            }
        }
    }
}
