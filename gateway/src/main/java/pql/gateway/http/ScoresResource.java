package pql.gateway.http;

import io.grpc.Context;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import pql.gateway.auth.Scope;
import pql.gateway.http.openapi.Summary;
import pql.v1.AccountOrder;
import pql.v1.AccountScore;
import pql.v1.AccountScoreFilter;
import pql.v1.CommunicationLevel;
import pql.v1.GetAccountScoreRequest;
import pql.v1.LeadStatus;
import pql.v1.Level;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ListAccountScoresResponse;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.PqlKind;
import pql.v1.Plan;
import pql.v1.ScoreView;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;

/** Account scores over HTTP: the PQL spectrum (paged), one account, and the dashboard's scatter points. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ScoresResource {

    private final BackendStubs backends;

    public ScoresResource(BackendStubs backends) {
        this.backends = backends;
    }

    /**
     * {@code GET /api/v1/scores?pql_only=true&status=open_trial&kind=hand_raiser&size=mid&owner=ana&persona=golden_lead
     * &order_by=expected_value_desc&page_size=100}, optionally {@code as_of=} and {@code known_at=}: the lead list
     * (each row's {@code lead}: status, persona and odds, expected value, last activity)
     */
    @GET
    @Path("/scores")
    @Summary("Account scores, filtered and paged: the PQL list and the lead list")
    @RequiresScope({Scope.SCORES_READ, Scope.DASHBOARD_READ})
    public ListAccountScoresResponse list(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("pql_only") String pqlOnly,
            @QueryParam("open_only") String openOnly,
            @QueryParam("kind") List<String> kinds,
            @QueryParam("size") List<String> sizes,
            @QueryParam("owner") List<String> owners,
            @QueryParam("plan") List<String> plans,
            @QueryParam("activation_level") List<String> activationLevels,
            @QueryParam("engagement_level") List<String> engagementLevels,
            @QueryParam("communication_level") List<String> communicationLevels,
            @QueryParam("persona") List<String> personas,
            @QueryParam("status") List<String> statuses,
            @QueryParam("order_by") String orderBy,
            @QueryParam("page_size") String pageSize,
            @QueryParam("page_token") String pageToken,
            @QueryParam("view") String view,
            @QueryParam("as_of") String asOf,
            @QueryParam("known_at") String knownAt,
            @QueryParam("definition_version") String definitionVersion) {
        QueryParams params = new QueryParams();
        AccountScoreFilter filter = filter(params, pqlOnly, openOnly, kinds, sizes, owners, plans,
                activationLevels, engagementLevels, communicationLevels).toBuilder()
                .addAllPersonas(params.enums("persona", personas, Persona.getDescriptor(), Persona::forNumber))
                .addAllStatuses(params.enums("status", statuses, LeadStatus.getDescriptor(), LeadStatus::forNumber))
                .build();
        ListAccountScoresRequest.Builder list = ListAccountScoresRequest.newBuilder()
                .setFilter(filter)
                .setPageSize(params.integer("page_size", pageSize, 50, 1, 1000))
                .setPageToken(pageToken == null ? "" : pageToken)
                .setDefinitionVersion(params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE));
        AccountOrder order = params.enumValue("order_by", orderBy, AccountOrder.getDescriptor(),
                AccountOrder::forNumber);
        if (order != null) {
            list.setOrderBy(order);
        }
        ScoreView scoreView = params.enumValue("view", view, ScoreView.getDescriptor(), ScoreView::forNumber);
        list.setView(scoreView == null ? ScoreView.SCORE_VIEW_BASIC : scoreView);
        var instant = params.timestamp("as_of", asOf);
        if (instant != null) {
            list.setAsOf(instant);
        }
        var known = params.timestamp("known_at", knownAt);
        if (known != null) {
            list.setKnownAt(known);
        }
        params.throwIfInvalid();
        return backends.scoring(Callers.of(request)).listAccountScores(list.build());
    }

    /**
     * {@code GET /api/v1/scores/{account}?as_of=2025-03-01&known_at=2025-03-02&definition_version=2}: everything
     * about one account ({@code known_at}: only the events recorded by then).
     */
    @GET
    @Path("/scores/{account}")
    @Summary("Everything about one account: scores, PQL, lead status, persona, odds")
    @RequiresScope({Scope.SCORES_READ, Scope.DASHBOARD_READ})
    public AccountScore one(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @PathParam("account") String account,
            @QueryParam("as_of") String asOf,
            @QueryParam("known_at") String knownAt,
            @QueryParam("definition_version") String definitionVersion) {
        QueryParams params = new QueryParams();
        GetAccountScoreRequest.Builder get = GetAccountScoreRequest.newBuilder()
                .setAccountId(account)
                .setDefinitionVersion(params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE));
        var instant = params.timestamp("as_of", asOf);
        if (instant != null) {
            get.setAsOf(instant);
        }
        var known = params.timestamp("known_at", knownAt);
        if (known != null) {
            get.setKnownAt(known);
        }
        params.throwIfInvalid();
        return backends.scoring(Callers.of(request)).getAccountScore(get.build());
    }

    /**
     * {@code GET /api/v1/spectrum?limit=5000}: one small point per account (activation rate,
     * engagement percentile, PQL or not) for the dashboard's scatter.
     */
    @GET
    @Path("/spectrum")
    @Summary("One small point per account for the dashboard's scatter")
    @RequiresScope({Scope.SCORES_READ, Scope.DASHBOARD_READ})
    public Spectrum spectrum(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("limit") String limit,
            @QueryParam("open_only") String openOnly,
            @QueryParam("definition_version") String definitionVersion) {
        QueryParams params = new QueryParams();
        int max = params.integer("limit", limit, 5000, 1, 50_000);
        StreamAccountScoresRequest stream = StreamAccountScoresRequest.newBuilder()
                .setFilter(AccountScoreFilter.newBuilder().setOpenOnly(params.bool("open_only", openOnly)))
                .setView(ScoreView.SCORE_VIEW_BASIC)
                .setDefinitionVersion(params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE))
                .build();
        params.throwIfInvalid();
        List<Spectrum.Point> points = new ArrayList<>();
        long total = 0;
        long pqls = 0;
        int version = 0;
        // Counted over every account, however few points are asked for (limit caps the points only).
        Context.CancellableContext scope = Context.current().withCancellation();
        Context previous = scope.attach();
        try {
            Iterator<StreamAccountScoresResponse> chunks = backends.scoring(Callers.of(request)).streamAccountScores(stream);
            while (chunks.hasNext()) {
                for (AccountScore score : chunks.next().getScoresList()) {
                    total++;
                    if (score.getPql().getIsPql()) {
                        pqls++;
                    }
                    version = score.getDefinitionVersion();
                    if (points.size() < max) {
                        points.add(Spectrum.Point.of(score));
                    }
                }
            }
        } finally {
            scope.detach(previous);
            scope.cancel(null);
        }
        return new Spectrum(version, total, pqls, points.size() < total, points);
    }

    /** The lead-list filter of the query parameters (null lists: not filtered); shared with the dashboard's spectrum. */
    static AccountScoreFilter filter(QueryParams params, String pqlOnly, String openOnly, List<String> kinds,
            List<String> sizes, List<String> owners, List<String> plans, List<String> activationLevels,
            List<String> engagementLevels, List<String> communicationLevels) {
        return AccountScoreFilter.newBuilder()
                .setPqlOnly(params.bool("pql_only", pqlOnly))
                .setOpenOnly(params.bool("open_only", openOnly))
                .addAllKinds(params.enums("kind", kinds, PqlKind.getDescriptor(), PqlKind::forNumber))
                .addAllOpportunitySizes(params.enums("size", sizes, OpportunitySize.getDescriptor(),
                        OpportunitySize::forNumber))
                .addAllOwners(QueryParams.values(owners))
                .addAllPlans(params.enums("plan", plans, Plan.getDescriptor(), Plan::forNumber))
                .addAllActivationLevels(params.enums("activation_level", activationLevels, Level.getDescriptor(),
                        Level::forNumber))
                .addAllEngagementLevels(params.enums("engagement_level", engagementLevels, Level.getDescriptor(),
                        Level::forNumber))
                .addAllCommunicationLevels(params.enums("communication_level", communicationLevels,
                        CommunicationLevel.getDescriptor(), CommunicationLevel::forNumber))
                .build();
    }
}
