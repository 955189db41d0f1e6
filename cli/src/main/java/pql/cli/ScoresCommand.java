package pql.cli;

import com.google.protobuf.Timestamp;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pql.v1.AccountOrder;
import pql.v1.AccountScore;
import pql.v1.AccountScoreFilter;
import pql.v1.ActivationStepState;
import pql.v1.Champion;
import pql.v1.Explanation;
import pql.v1.GetAccountScoreRequest;
import pql.v1.Lead;
import pql.v1.LeadStatus;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ListAccountScoresResponse;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.PqlKind;
import pql.v1.ScoreView;

@Command(name = "scores", description = "The PQL spectrum (accounts ranked), the lead list with --pql-only, or one account in detail with --account.")
final class ScoresCommand implements Callable<Integer> {

    enum Order { engagement, activation, qualified_at, account_id, expected_value, last_activity }

    @Spec
    CommandSpec spec;

    @Option(names = "--pql-only", description = "The lead list: only product qualified leads, by default open trials (--status open) "
            + "sorted by expected value (--sort expected_value).")
    boolean pqlOnly;

    @Option(names = "--open-only", description = "Only trials not yet converted, lost or churned.")
    boolean openOnly;

    @Option(names = "--owner", paramLabel = "OWNER", description = "Only this owner's accounts (case-insensitive; repeatable).")
    List<String> owners = new ArrayList<>();

    @Option(names = "--persona", paramLabel = "PERSONA", description = "Only this persona, e.g. golden_lead (repeatable).")
    List<String> personas = new ArrayList<>();

    @Option(names = "--size", paramLabel = "SIZE", description = "Only this opportunity size: small, mid or large (repeatable).")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", description = "Only PQLs of this kind, e.g. hand_raiser (repeatable).")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--status", paramLabel = "STATUS", description = "Only this status: open, converted, lost, churned, paid, "
            + "freemium (repeatable), or any (default: open with --pql-only, else any).")
    List<String> statuses = new ArrayList<>();

    /** The API's largest page. */
    static final int MAX_PAGE = 1000;

    @Option(names = "--limit", defaultValue = "20", description = "How many accounts, 1..1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--all", description = "Every matching account, page by page (instead of --limit).")
    boolean all;

    @Option(names = {"--sort", "--order"}, description = "expected_value, engagement, qualified_at, last_activity, activation "
            + "or account_id (default: expected_value with --pql-only, else engagement).")
    String order;

    @Option(names = "--account", description = "Show this account in detail.")
    String account;

    @Option(names = "--as-of", converter = TimeArgument.class, paramLabel = "WHEN",
            description = "Evaluate as of this date, instant, today, yesterday or age such as 7d (default: now; not in the future).")
    Timestamp asOf;

    @Option(names = "--known-at", converter = TimeArgument.class, paramLabel = "WHEN",
            description = "Only events recorded by then count: the answer as it was known then, whatever was backfilled since.")
    Timestamp knownAt;

    @Option(names = "--definition", paramLabel = "VERSION", description = "Definition version (default: the active one).")
    int version;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (all && spec.commandLine().getParseResult().hasMatchedOption("--limit")) {
            throw Usage.error(spec, "--limit and --all exclude each other: --all lists every matching account");
        }
        if (!all) {
            Usage.within(spec, "--limit", limit, 1, MAX_PAGE, "--all lists every matching account");
        }
        Order chosenOrder = order();
        AccountScoreFilter filter = filter();
        Pql root = (Pql) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        try (GatewayClient client = root.connect()) {
            if (account != null) {
                GetAccountScoreRequest.Builder request = GetAccountScoreRequest.newBuilder().setAccountId(account).setDefinitionVersion(version);
                if (asOf != null) {
                    request.setAsOf(asOf);
                }
                if (knownAt != null) {
                    request.setKnownAt(knownAt);
                }
                AccountScore score = client.scoring().getAccountScore(request.build());
                out.println(json ? Formats.json(score) : detail(score));
                out.flush();
                return 0;
            }
            AccountOrder accountOrder = switch (chosenOrder) {
                case engagement -> AccountOrder.ACCOUNT_ORDER_ENGAGEMENT_DESC;
                case activation -> AccountOrder.ACCOUNT_ORDER_ACTIVATION_DESC;
                case qualified_at -> AccountOrder.ACCOUNT_ORDER_QUALIFIED_AT_DESC;
                case account_id -> AccountOrder.ACCOUNT_ORDER_ACCOUNT_ID;
                case expected_value -> AccountOrder.ACCOUNT_ORDER_EXPECTED_VALUE_DESC;
                case last_activity -> AccountOrder.ACCOUNT_ORDER_LAST_ACTIVITY_DESC;
            };
            ListAccountScoresRequest.Builder list = ListAccountScoresRequest.newBuilder()
                    .setFilter(filter)
                    .setOrderBy(accountOrder)
                    .setPageSize(all ? MAX_PAGE : limit)
                    .setDefinitionVersion(version)
                    .setView(ScoreView.SCORE_VIEW_BASIC);
            if (asOf != null) {
                list.setAsOf(asOf);
            }
            if (knownAt != null) {
                list.setKnownAt(knownAt);
            }
            ListAccountScoresResponse page = client.scoring().listAccountScores(list.build());
            if (all) {
                page = remainingPages(client, list, page);
            }
            if (json) {
                out.println(Formats.json(page));
                out.flush();
                return 0;
            }
            Table table = new Table("ACCOUNT", "NAME", "OWNER", "STATUS", "SIZE", "DEAL", "PERSONA", "EXP VALUE", "ACTIVATION",
                    "ENGAGEMENT", "PCTL", "COMM", "PQL", "KINDS", "SINCE", "LAST ACTIVE")
                    .right(5, 7, 8, 9, 10);
            for (AccountScore score : page.getScoresList()) {
                Lead lead = score.getLead();
                table.row(score.getAccountId(), score.getProfile().getName(), score.getProfile().getOwner(),
                        Formats.enumName(lead.getStatus(), "LEAD_STATUS_"),
                        Formats.enumName(score.getProfile().getOpportunitySize(), "OPPORTUNITY_SIZE_"),
                        score.getProfile().hasDealSize() ? Formats.money(score.getProfile().getDealSize()) : "-",
                        persona(lead),
                        lead.hasExpectedValue() ? Formats.money(lead.getExpectedValue()) : "-",
                        Formats.percent(score.getActivation().getRate()) + " " + Formats.enumName(score.getActivation().getLevel(), "LEVEL_"),
                        String.format(Locale.ROOT, "%.1f %s", score.getEngagement().getScore(),
                                Formats.enumName(score.getEngagement().getLevel(), "LEVEL_")),
                        String.format(Locale.ROOT, "%.0f", score.getEngagement().getPercentile()),
                        Formats.enumName(score.getCommunication().getLevel(), "COMMUNICATION_LEVEL_"),
                        score.getPql().getIsPql() ? "yes" : "no",
                        kinds(score.getPql().getKindsList()),
                        day(score.getPql().hasQualifiedAt() ? score.getPql().getQualifiedAt() : null),
                        day(lead.hasLastActivityAt() ? lead.getLastActivityAt() : null));
            }
            table.print(out);
            out.printf(Locale.ROOT, "%,d of %,d matching accounts (definition v%d, as of %s)%s%n", page.getScoresCount(),
                    page.getTotalSize(), page.getScoresCount() > 0 ? page.getScores(0).getDefinitionVersion() : version,
                    Formats.time(page.getAsOf()), page.hasKnownAt() ? ", known at " + Formats.time(page.getKnownAt())
                            + " (log position " + page.getHeadPosition() + ")" : "");
            out.flush();
            return 0;
        }
    }

    /**
     * The filter the options ask for. --pql-only is the lead list a rep works: its default status is open (the
     * trials still to be won), so closed and converted trials stay out unless asked for (--status any).
     */
    private AccountScoreFilter filter() {
        AccountScoreFilter.Builder filter = AccountScoreFilter.newBuilder().setPqlOnly(pqlOnly).setOpenOnly(openOnly)
                .addAllOwners(owners)
                .addAllPersonas(Usage.enums(spec, "--persona", personas, Persona.getDescriptor(), Persona::forNumber))
                .addAllOpportunitySizes(Usage.enums(spec, "--size", sizes, OpportunitySize.getDescriptor(),
                        OpportunitySize::forNumber))
                .addAllKinds(Usage.enums(spec, "--kind", kinds, PqlKind.getDescriptor(), PqlKind::forNumber));
        for (String owner : owners) {
            if (owner.isBlank()) {
                throw Usage.error(spec, "--owner: must not be empty");
            }
        }
        boolean any = statuses.stream().anyMatch(status -> status.trim().equalsIgnoreCase("any"));
        if (any && statuses.size() > 1) {
            throw Usage.error(spec, "--status any lists every status: give it alone");
        }
        if (!any) {
            List<String> wanted = statuses.isEmpty() && pqlOnly && !openOnly ? List.of("open") : statuses;
            filter.addAllStatuses(Usage.enums(spec, "--status", wanted, LeadStatus.getDescriptor(), LeadStatus::forNumber));
        }
        return filter.build();
    }

    /** "golden_lead 90%", with a "~" when no row of the seed's table names the levels exactly. */
    private static String persona(Lead lead) {
        if (lead.getPersona() == Persona.PERSONA_UNSPECIFIED) {
            return "-";
        }
        return Formats.enumName(lead.getPersona(), "PERSONA_") + (lead.getPersonaApproximate() ? "~ " : " ")
                + Formats.percent(lead.getOdds());
    }

    private static String day(Timestamp timestamp) {
        String time = Formats.time(timestamp);
        return time.length() > 10 ? time.substring(0, 10) : time;
    }

    private Order order() {
        if (order == null) {
            return pqlOnly ? Order.expected_value : Order.engagement;
        }
        String wanted = order.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(Order.values()).filter(value -> value.name().equals(wanted)).findFirst()
                .orElseThrow(() -> Usage.error(spec, "--sort: unknown value '" + order + "'; one of "
                        + Arrays.stream(Order.values()).map(Order::name).collect(Collectors.joining(", "))));
    }

    /**
     * Follows the page tokens to the end (the request unchanged but its token: the server binds a
     * token to the filter, order, version and instants). Pages of the live spectrum may shift while
     * events arrive; with --as-of and --known-at they fit together exactly.
     */
    private static ListAccountScoresResponse remainingPages(GatewayClient client, ListAccountScoresRequest.Builder request,
            ListAccountScoresResponse first) {
        ListAccountScoresResponse.Builder every = first.toBuilder();
        ListAccountScoresResponse page = first;
        while (!page.getNextPageToken().isEmpty()) {
            page = client.scoring().listAccountScores(request.setPageToken(page.getNextPageToken()).build());
            every.addAllScores(page.getScoresList());
        }
        return every.setNextPageToken("").build();
    }

    static String kinds(List<PqlKind> kinds) {
        return kinds.stream().map(kind -> Formats.enumName(kind, "PQL_KIND_")).collect(Collectors.joining(","));
    }

    private static String detail(AccountScore score) {
        StringBuilder text = new StringBuilder();
        var profile = score.getProfile();
        text.append(score.getAccountId()).append("  ").append(profile.getName()).append('\n');
        text.append(String.format(Locale.ROOT, "  size %s%s, deal %s, owner %s, plan %s, fit %s%n",
                Formats.enumName(profile.getOpportunitySize(), "OPPORTUNITY_SIZE_"), profile.getOpportunitySizeDerived() ? " (derived)" : "",
                Formats.money(profile.getDealSize()), profile.getOwner(), Formats.enumName(profile.getPlan(), "PLAN_"),
                Formats.enumName(profile.getFit(), "FIT_")));
        text.append(String.format(Locale.ROOT, "  trial %s .. %s, definition v%d, as of %s%s, %,d events%n",
                Formats.time(profile.getTrialStart()), Formats.time(profile.getTrialEnd()), score.getDefinitionVersion(),
                Formats.time(score.getAsOf()), score.hasKnownAt() ? ", known at " + Formats.time(score.getKnownAt())
                        + " (log position " + score.getHeadPosition() + ")" : "", score.getEventsApplied()));
        if (score.hasLead()) {
            Lead lead = score.getLead();
            text.append(String.format(Locale.ROOT, "lead %s, persona %s, expected value %s, last activity %s%n",
                    Formats.enumName(lead.getStatus(), "LEAD_STATUS_"), persona(lead),
                    lead.hasExpectedValue() ? Formats.money(lead.getExpectedValue()) : "-",
                    Formats.time(lead.hasLastActivityAt() ? lead.getLastActivityAt() : null)));
        }
        text.append(String.format(Locale.ROOT, "activation %s (%s)%n", Formats.percent(score.getActivation().getRate()),
                Formats.enumName(score.getActivation().getLevel(), "LEVEL_")));
        for (ActivationStepState step : score.getActivation().getStepsList()) {
            text.append(String.format(Locale.ROOT, "  [%s] %-22s %s %.0f/%.0f%n", step.getDone() ? "x" : " ", step.getKey(),
                    step.getAction(), step.getCount(), step.getMinCount()));
        }
        text.append(String.format(Locale.ROOT, "engagement %.1f points, percentile %.0f (%s, cohort %s)%n",
                score.getEngagement().getScore(), score.getEngagement().getPercentile(),
                Formats.enumName(score.getEngagement().getLevel(), "LEVEL_"), score.getEngagement().getCohort()));
        for (var action : score.getEngagement().getTopActionsList()) {
            text.append(String.format(Locale.ROOT, "  %-22s %8.1f x  %8.1f points%n", action.getAction(), action.getQuantity(), action.getPoints()));
        }
        var communication = score.getCommunication();
        text.append(String.format(Locale.ROOT, "communication %s: %d inbound, %d responses, %d outbound (sentiment +%d =%d -%d)%n",
                Formats.enumName(communication.getLevel(), "COMMUNICATION_LEVEL_"), communication.getInbound(),
                communication.getResponses(), communication.getOutbound(), communication.getSentiment().getPositive(),
                communication.getSentiment().getNeutral(), communication.getSentiment().getNegative()));
        var pql = score.getPql();
        text.append("PQL ").append(pql.getIsPql() ? "yes: " + kinds(pql.getKindsList()) + " since " + Formats.time(pql.getQualifiedAt()) : "no")
                .append('\n');
        for (Explanation explanation : pql.getExplanationsList()) {
            text.append("  ").append(explanation.getText()).append('\n');
        }
        if (score.getChampionsCount() > 0) {
            text.append("champions\n");
            for (Champion champion : score.getChampionsList()) {
                text.append(String.format(Locale.ROOT, "  %-28s activation %s, engagement %.1f%n",
                        champion.getEmail().isEmpty() ? champion.getUserId() : champion.getEmail(),
                        Formats.percent(champion.getActivationRate()), champion.getEngagementScore()));
            }
        }
        if (score.hasOutcome()) {
            text.append("outcome ").append(Formats.enumName(score.getOutcome().getKind(), "OUTCOME_KIND_"))
                    .append(" at ").append(Formats.time(score.getOutcome().getAt())).append('\n');
        }
        return text.toString().stripTrailing();
    }
}
