package pql.scoring.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import pql.scoring.domain.score.PqlTransition;

/**
 * A PQL transition as a Slack-compatible incoming-webhook payload: {@code text} (the fallback every
 * receiver shows) plus {@code blocks} with the details. No event payloads, only scoring facts.
 */
public final class SlackMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackMessages() {
    }

    public static String text(PqlTransition transition) {
        String who = transition.accountName() == null ? transition.accountId()
                : transition.accountName() + " (" + transition.accountId() + ")";
        String headline = switch (transition.kind()) {
            case BECAME_PQL -> ":tada: " + who + " became a PQL: " + transition.kindsAfter();
            case KINDS_CHANGED -> who + " is a PQL with " + transition.kindsAfter() + " (was " + transition.kindsBefore() + ")";
            case NO_LONGER_PQL -> who + " is no longer a PQL";
            case LEVELS_CHANGED -> who + " changed levels";
        };
        return headline + (transition.owner() == null ? "" : " — owner " + transition.owner());
    }

    public static String payload(PqlTransition transition) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", text(transition));
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode section = blocks.addObject();
        section.put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", "*" + text(transition) + "*\n"
                + transition.explanation().text());
        ObjectNode context = blocks.addObject();
        context.put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text",
                "activation " + transition.activationLevel() + " · engagement " + transition.engagementLevel()
                        + " · communication " + transition.communicationLevel() + " · definition v"
                        + transition.definitionVersion() + " · " + Instant.ofEpochMilli(transition.at()));
        return root.toString();
    }
}
