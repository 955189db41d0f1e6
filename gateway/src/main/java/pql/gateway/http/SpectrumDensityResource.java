package pql.gateway.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import pql.gateway.auth.Scope;
import pql.v1.AccountScore;
import pql.v1.AccountScoreFilter;
import pql.v1.GetDefinitionRequest;
import pql.v1.LeadStatus;
import pql.v1.ListAccountScoresResponse;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.PqlRule;
import pql.v1.ScoreView;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;

/**
 * The dashboard's spectrum computed on the server over every account (issue 14: the browser
 * never sees, nor truncates, the accounts): a density grid with the thresholds, and the leads of
 * one cell for the click-through.
 */
@Path("/api/v1/dashboard/spectrum")
@Produces(MediaType.APPLICATION_JSON)
public final class SpectrumDensityResource {

    private static final int DEFAULT_BINS = 20;
    private static final int MAX_BINS = 100;

    private final BackendStubs backends;

    public SpectrumDensityResource(BackendStubs backends) {
        this.backends = backends;
    }

    /** {@code GET /api/v1/dashboard/spectrum?bins=20&definition_version=0}: the grid, counts and thresholds. */
    @GET
    @RequiresScope({Scope.SCORES_READ, Scope.DASHBOARD_READ})
    public SpectrumDensity density(@Context ContainerRequestContext request,
            @QueryParam("bins") String binsParam,
            @QueryParam("definition_version") String definitionVersion) {
        QueryParams params = new QueryParams();
        int bins = params.integer("bins", binsParam, DEFAULT_BINS, 2, MAX_BINS);
        int version = params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE);
        params.throwIfInvalid();
        Map<String, long[]> cells = new LinkedHashMap<>();
        long[] totals = new long[4];
        int[] scoredVersion = {version};
        forEachScore(request, AccountScoreFilter.getDefaultInstance(), version, score -> {
            boolean pql = score.getPql().getIsPql();
            boolean open = score.getLead().getStatus() == LeadStatus.LEAD_STATUS_OPEN;
            totals[0]++;
            totals[1] += pql ? 1 : 0;
            totals[2] += open ? 1 : 0;
            totals[3] += open && pql ? 1 : 0;
            scoredVersion[0] = score.getDefinitionVersion();
            String key = SpectrumDensity.activationBin(score.getActivation().getRate(), bins) + ":"
                    + SpectrumDensity.percentileBin(score.getEngagement().getPercentile(), bins) + ":"
                    + sizeName(score.getProfile().getOpportunitySize());
            long[] cell = cells.computeIfAbsent(key, k -> new long[2]);
            cell[0]++;
            cell[1] += pql ? 1 : 0;
        });
        List<SpectrumDensity.Cell> grid = new ArrayList<>(cells.size());
        cells.forEach((key, counts) -> {
            String[] parts = key.split(":");
            grid.add(new SpectrumDensity.Cell(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), parts[2],
                    counts[0], counts[1]));
        });
        return new SpectrumDensity(scoredVersion[0], bins, totals[0], totals[1], totals[2], totals[3],
                thresholds(request, scoredVersion[0]), grid);
    }

    /**
     * {@code GET /api/v1/dashboard/spectrum/leads?bins=20&activation_bin=10&percentile_bin=18&size=mid&owner=ana
     * &persona=golden_lead&status=open&kind=hand_raiser&pql_only=true&page_size=50&page_token=50}: the accounts
     * of one cell (either bin may be left out: a whole column or row), filtered as {@code /api/v1/scores},
     * highest expected value first, paged by offset, with the total count.
     */
    @GET
    @Path("/leads")
    @RequiresScope({Scope.SCORES_READ, Scope.DASHBOARD_READ})
    public ListAccountScoresResponse leads(@Context ContainerRequestContext request,
            @QueryParam("bins") String binsParam,
            @QueryParam("activation_bin") String activationBin,
            @QueryParam("percentile_bin") String percentileBin,
            @QueryParam("pql_only") String pqlOnly,
            @QueryParam("kind") List<String> kinds,
            @QueryParam("size") List<String> sizes,
            @QueryParam("owner") List<String> owners,
            @QueryParam("persona") List<String> personas,
            @QueryParam("status") List<String> statuses,
            @QueryParam("page_size") String pageSize,
            @QueryParam("page_token") String pageToken,
            @QueryParam("definition_version") String definitionVersion) {
        QueryParams params = new QueryParams();
        int bins = params.integer("bins", binsParam, DEFAULT_BINS, 2, MAX_BINS);
        int column = params.integer("activation_bin", activationBin, -1, 0, MAX_BINS - 1);
        int row = params.integer("percentile_bin", percentileBin, -1, 0, MAX_BINS - 1);
        int size = params.integer("page_size", pageSize, 50, 1, 1000);
        int offset = params.integer("page_token", pageToken, 0, 0, Integer.MAX_VALUE);
        int version = params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE);
        AccountScoreFilter filter = ScoresResource.filter(params, pqlOnly, null, kinds, sizes, owners, null, null, null, null)
                .toBuilder()
                .addAllPersonas(params.enums("persona", personas, Persona.getDescriptor(), Persona::forNumber))
                .addAllStatuses(params.enums("status", statuses, LeadStatus.getDescriptor(), LeadStatus::forNumber))
                .build();
        params.throwIfInvalid();
        List<AccountScore> matching = new ArrayList<>();
        forEachScore(request, filter, version, score -> {
            if ((column < 0 || SpectrumDensity.activationBin(score.getActivation().getRate(), bins) == column)
                    && (row < 0 || SpectrumDensity.percentileBin(score.getEngagement().getPercentile(), bins) == row)) {
                matching.add(score);
            }
        });
        matching.sort(Comparator.comparingLong(SpectrumDensityResource::expectedMicros).reversed()
                .thenComparing(AccountScore::getAccountId));
        int end = Math.min(matching.size(), offset + size);
        ListAccountScoresResponse.Builder page = ListAccountScoresResponse.newBuilder()
                .setTotalSize(matching.size())
                .addAllScores(offset < end ? matching.subList(offset, end) : List.of());
        if (end < matching.size()) {
            page.setNextPageToken(Integer.toString(end));
        }
        return page.build();
    }

    private void forEachScore(ContainerRequestContext request, AccountScoreFilter filter, int version,
            Consumer<AccountScore> each) {
        StreamAccountScoresRequest stream = StreamAccountScoresRequest.newBuilder()
                .setFilter(filter)
                .setView(ScoreView.SCORE_VIEW_BASIC)
                .setDefinitionVersion(version)
                .build();
        Iterator<StreamAccountScoresResponse> chunks = backends.scoring(Callers.of(request)).streamAccountScores(stream);
        while (chunks.hasNext()) {
            chunks.next().getScoresList().forEach(each);
        }
    }

    private Map<String, Double> thresholds(ContainerRequestContext request, int version) {
        PqlRule rule = backends.definitions(Callers.of(request))
                .getDefinition(GetDefinitionRequest.newBuilder().setVersion(version).build())
                .getDefinition().getPql();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        thresholds.put("SMALL", rule.getSmallThreshold());
        thresholds.put("MID", rule.getMidThreshold());
        thresholds.put("LARGE", rule.getLargeThreshold());
        return thresholds;
    }

    /** Without a deal size: below every amount, so last. */
    private static long expectedMicros(AccountScore score) {
        return score.getLead().hasExpectedValue() ? score.getLead().getExpectedValue().getAmountMicros() : Long.MIN_VALUE;
    }

    private static String sizeName(OpportunitySize size) {
        return size.name().replace("OPPORTUNITY_SIZE_", "");
    }
}
