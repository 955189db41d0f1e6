package pql.scoring.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;

/**
 * The bodies alerts are posted with. Slack-compatible ({@code text}: one headline, the notification
 * every receiver shows; {@code blocks}: the details a rep acts on, each said once) or, for
 * {@code format: json}, the PqlTransition itself in protobuf's JSON mapping. Scoring facts only: no
 * event payload except the hand-raiser's own note.
 */
public final class AlertMessages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NOTE = 2_000;

    private final String dashboardBaseUrl;

    /** @param dashboardBaseUrl e.g. {@code https://pql.example.com}; blank: no link */
    public AlertMessages(String dashboardBaseUrl) {
        String base = dashboardBaseUrl == null ? "" : dashboardBaseUrl.trim();
        this.dashboardBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The dashboard's page of the account, or null without a base URL. */
    public String accountLink(String accountId) {
        return dashboardBaseUrl.isEmpty() ? null : dashboardBaseUrl + "/dashboard/#/accounts/"
                + URLEncoder.encode(accountId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What happened, to whom, with deal size, persona and owner: one line. */
    public String headline(PqlTransition transition, AccountDetails details) {
        StringBuilder line = new StringBuilder(displayName(transition, details)).append(' ').append(what(transition, details));
        String deal = dealSize(details);
        if (deal != null) {
            line.append(" · ").append(deal);
        }
        if (details.persona() != null) {
            line.append(" · ").append(persona(details));
        }
        String owner = details.owner() != null ? details.owner() : transition.owner();
        if (owner != null && !owner.isBlank()) {
            line.append(" · owner ").append(owner);
        }
        return line.toString();
    }

    static String what(PqlTransition transition, AccountDetails details) {
        return switch (transition.kind()) {
            case BECAME_PQL -> "became a PQL (" + kinds(transition.kindsAfter()) + ")";
            case KINDS_CHANGED -> {
                List<PqlKind> added = new ArrayList<>(transition.kindsAfter());
                added.removeAll(transition.kindsBefore());
                yield added.isEmpty() ? "is still a PQL, now " + kinds(transition.kindsAfter())
                        : "is a PQL, now also " + kinds(added);
            }
            case NO_LONGER_PQL -> transition.closedBy() != null
                    ? "is no longer a PQL: the trial ended " + transition.closedBy().name().toLowerCase(Locale.ROOT)
                    : "is no longer a PQL: " + kinds(transition.kindsBefore()) + " lapsed"
                            + (transition.timeDriven() ? " with time" : "");
            case LEVELS_CHANGED -> details.persona() != null ? "changed persona to " + pretty(details.persona().name())
                    : "changed levels";
        };
    }

    public String slack(PqlTransition transition, AccountDetails details) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", headline(transition, details));
        ArrayNode blocks = root.putArray("blocks");
        String link = accountLink(transition.accountId());
        String name = escape(displayName(transition, details));
        section(blocks, (link == null ? "*" + name + "*" : "*<" + link + "|" + name + ">*") + " "
                + escape(what(transition, details)));
        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        String deal = dealSize(details);
        field(fields, "Deal size", deal == null ? "unknown" : deal);
        field(fields, "Persona", details.persona() == null ? "unknown" : persona(details));
        String owner = details.owner() != null ? details.owner() : transition.owner();
        field(fields, "Owner", owner == null || owner.isBlank() ? "unassigned" : owner);
        field(fields, "PQL kinds", transition.kindsAfter().isEmpty() ? "none" : kinds(transition.kindsAfter()));
        if (details.note() != null && !details.note().isBlank() && transition.kindsAfter().contains(PqlKind.HAND_RAISER)) {
            String note = details.note().length() > MAX_NOTE ? details.note().substring(0, MAX_NOTE) + "…" : details.note();
            section(blocks, "*Hand-raiser" + (details.noteBy() == null ? "" : " " + escape(details.noteBy())) + ":*\n> "
                    + escape(note).replace("\n", "\n> "));
        }
        if (details.limitName() != null && transition.kindsAfter().contains(PqlKind.LIMIT_REACHED)) {
            section(blocks, "*Limit reached:* " + escape(details.limitName()) + usage(details));
        }
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", escape(reasons(transition, details)));
        if (link != null) {
            ObjectNode button = blocks.addObject().put("type", "actions").putArray("elements").addObject()
                    .put("type", "button").put("url", link);
            button.putObject("text").put("type", "plain_text").put("text", "Open the account");
        }
        return root.toString();
    }

    /** The top reasons: checklist progress, engagement percentile, levels, and when. */
    static String reasons(PqlTransition transition, AccountDetails details) {
        List<String> parts = new ArrayList<>();
        if (details.steps() > 0) {
            parts.add("checklist " + details.stepsDone() + "/" + details.steps() + " steps");
        } else if (!Double.isNaN(transition.activationRate())) {
            parts.add(String.format(Locale.ROOT, "activation %.0f%%", transition.activationRate() * 100));
        }
        if (!Double.isNaN(details.engagementPercentile())) {
            parts.add(String.format(Locale.ROOT, "engagement percentile %.0f", details.engagementPercentile()));
        }
        parts.add("levels " + transition.activationLevel() + "/" + transition.engagementLevel() + "/"
                + transition.communicationLevel());
        parts.add("definition v" + transition.definitionVersion());
        parts.add(Instant.ofEpochMilli(transition.at()) + (transition.timeDriven() ? " (time-driven)" : ""));
        return String.join(" · ", parts);
    }

    /** One message for the transitions too old to be news. */
    public String summary(BackfillSummary.Summary summary, Subscription.Format format) {
        String range = "between " + Instant.ofEpochMilli(summary.fromMillis()) + " and " + Instant.ofEpochMilli(summary.toMillis());
        String text = String.format(Locale.ROOT, "%,d account%s became PQLs in backfilled history %s (%,d transitions"
                + " summarised, not posted one by one)", summary.accountsBecamePql(), summary.accountsBecamePql() == 1 ? "" : "s",
                range, summary.transitions());
        ObjectNode root = JSON.createObjectNode();
        if (format == Subscription.Format.JSON) {
            root.put("summary", true).put("text", text).put("accountsBecamePql", summary.accountsBecamePql())
                    .put("transitions", summary.transitions()).put("from", Instant.ofEpochMilli(summary.fromMillis()).toString())
                    .put("to", Instant.ofEpochMilli(summary.toMillis()).toString());
            ObjectNode byKind = root.putObject("byKind");
            summary.byKind().forEach((kind, count) -> byKind.put(kind.name(), count));
            return root.toString();
        }
        root.put("text", text);
        section(root.putArray("blocks"), escape(text) + "\n" + escape(summary.byKind().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> kindOfTransition(e.getKey()) + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
                .collect(Collectors.joining(" · "))));
        return root.toString();
    }

    /** {@code format: json}: the PqlTransition as protobuf JSON. */
    public static String json(byte[] transitionProto) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(pql.v1.PqlTransition.parseFrom(transitionProto));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a journaled transition does not parse", e);
        }
    }

    private static String kindOfTransition(TransitionKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String displayName(PqlTransition transition, AccountDetails details) {
        String name = details.name() != null ? details.name() : transition.accountName();
        return name == null || name.isBlank() ? transition.accountId() : name + " (" + transition.accountId() + ")";
    }

    private static String persona(AccountDetails details) {
        return pretty(details.persona().name()) + (Double.isNaN(details.odds()) ? ""
                : String.format(Locale.ROOT, " (%.0f%% odds)", details.odds() * 100));
    }

    static String dealSize(AccountDetails details) {
        String size = details.size() == null ? null : details.size().name();
        if (details.dealSizeMicros() == null) {
            return size == null ? null : size + " deal";
        }
        String amount = String.format(Locale.ROOT, "%,.0f", details.dealSizeMicros() / 1e6);
        String currency = details.currency() == null || details.currency().isBlank() ? "" : details.currency() + " ";
        return "deal " + currency + amount + (size == null ? "" : " (" + size + ")");
    }

    private static String usage(AccountDetails details) {
        if (Double.isNaN(details.limitUsage()) || details.limitUsage() <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, " (usage %,.0f of %,.0f)", details.limitUsage(), details.limitValue());
    }

    static String kinds(List<PqlKind> kinds) {
        return kinds.stream().map(kind -> switch (kind) {
            case HAND_RAISER -> "hand-raiser";
            case LIMIT_REACHED -> "limit reached";
            case CRITERIA_MET -> "criteria met";
            case TOUCHLESS_PURCHASE -> "touchless purchase";
        }).collect(Collectors.joining(", "));
    }

    private static String pretty(String enumName) {
        StringBuilder out = new StringBuilder();
        for (String word : enumName.toLowerCase(Locale.ROOT).split("_")) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
    }

    private static void field(ArrayNode fields, String label, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + label + "*\n" + escape(value));
    }

    /** Slack's three control characters in mrkdwn. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
