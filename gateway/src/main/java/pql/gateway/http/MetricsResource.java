package pql.gateway.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import pql.gateway.auth.Scope;
import pql.gateway.http.openapi.Summary;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.Granularity;
import pql.v1.PqlMetrics;

/** PQL funnel metrics: {@code GET /api/v1/metrics?granularity=month&from=2025-01-01&to=2025-07-01&known_at=2025-07-01}. */
@Path("/api/v1/metrics")
@Produces(MediaType.APPLICATION_JSON)
public final class MetricsResource {

    private final BackendStubs backends;

    public MetricsResource(BackendStubs backends) {
        this.backends = backends;
    }

    @GET
    @Summary("PQL funnel metrics per period")
    @RequiresScope({Scope.SCORES_READ, Scope.DASHBOARD_READ})
    public PqlMetrics metrics(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("granularity") String granularity,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("known_at") String knownAt,
            @QueryParam("definition_version") String definitionVersion) {
        QueryParams params = new QueryParams();
        GetPqlMetricsRequest.Builder get = GetPqlMetricsRequest.newBuilder()
                .setDefinitionVersion(params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE));
        Granularity period = params.enumValue("granularity", granularity, Granularity.getDescriptor(), Granularity::forNumber);
        if (period != null) {
            get.setGranularity(period);
        }
        var start = params.timestamp("from", from);
        if (start != null) {
            get.setFrom(start);
        }
        var end = params.timestamp("to", to);
        if (end != null) {
            get.setTo(end);
        }
        var known = params.timestamp("known_at", knownAt);
        if (known != null) {
            get.setKnownAt(known);
        }
        params.throwIfInvalid();
        return backends.metrics(Callers.of(request)).getPqlMetrics(get.build());
    }
}
