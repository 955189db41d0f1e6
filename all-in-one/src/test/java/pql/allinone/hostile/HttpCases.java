package pql.allinone.hostile;

import static pql.allinone.hostile.HostileCase.Expected.http400;

import java.util.ArrayList;
import java.util.List;
import pql.allinone.hostile.HostileCase.Expected;
import pql.allinone.hostile.HostileCase.Transport;

/**
 * Query parameters of every /api/v1 resource: numbers that are no numbers or out of range, dates
 * that are no dates or in the future, enum names nobody defined, huge values. A parameter the
 * gateway reads is named as the parameter; one the service judges is named by its request path.
 */
final class HttpCases {

    private static final String FAR_FUTURE = "3000-01-01T00:00:00Z";

    private final Calls calls;
    private final List<HostileCase> cases = new ArrayList<>();

    private HttpCases(Calls calls) {
        this.calls = calls;
    }

    static List<HostileCase> all(Calls calls) {
        HttpCases table = new HttpCases(calls);
        table.scores();
        table.oneScore();
        table.spectrum();
        table.forecast();
        table.forecastLines();
        table.metrics();
        table.transitions();
        table.pathsAndSizes();
        return table.cases;
    }

    private void scores() {
        refused("/api/v1/scores?page_size=abc", "page_size");
        refused("/api/v1/scores?page_size=0", "page_size");
        refused("/api/v1/scores?page_size=1001", "page_size");
        refused("/api/v1/scores?page_size=-1", "page_size");
        refused("/api/v1/scores?page_size=99999999999999999999", "page_size");
        refused("/api/v1/scores?page_size=1e3", "page_size");
        refused("/api/v1/scores?kind=bogus", "kind");
        refused("/api/v1/scores?size=huge", "size");
        refused("/api/v1/scores?plan=enterprise", "plan");
        refused("/api/v1/scores?activation_level=extreme", "activation_level");
        refused("/api/v1/scores?engagement_level=9", "engagement_level");
        refused("/api/v1/scores?communication_level=loud", "communication_level");
        refused("/api/v1/scores?order_by=random", "order_by");
        refused("/api/v1/scores?view=everything", "view");
        refused("/api/v1/scores?pql_only=maybe", "pql_only");
        refused("/api/v1/scores?open_only=2", "open_only");
        refused("/api/v1/scores?as_of=yesterday", "as_of");
        refused("/api/v1/scores?as_of=2025-13-01", "as_of");
        refused("/api/v1/scores?as_of=" + FAR_FUTURE, "as_of");
        refused("/api/v1/scores?known_at=" + FAR_FUTURE, "known_at");
        refused("/api/v1/scores?known_at=%2B1000000000-01-01T00:00:00Z", "known_at");
        refused("/api/v1/scores?definition_version=-1", "definition_version");
        refused("/api/v1/scores?definition_version=abc", "definition_version");
        refused("/api/v1/scores?page_token=garbage", "page_token");
        refused("/api/v1/scores?page_token=" + "A".repeat(4000), "page_token");
        refused("/api/v1/scores?owner=" + "o".repeat(201), "filter.owners[0]");
        status("/api/v1/scores?definition_version=99999", Expected.http(404, "NOT_FOUND"));
        cases.add(new HostileCase("GET /api/v1/scores?as_of=1960-01-01 (accepted, nobody yet)", Transport.HTTP,
                () -> calls.http("/api/v1/scores?as_of=1960-01-01", calls.allScopes, body -> body.contains("\"accountId\"")
                        ? "some accounts" : "no account"), new Expected("HTTP 200", null, "no account", null)));
    }

    private void oneScore() {
        status("/api/v1/scores/hx-nobody", Expected.http(404, "NOT_FOUND"));
        refused("/api/v1/scores/a%20b", "account_id");
        refused("/api/v1/scores/" + "a".repeat(129), "account_id");
        refused("/api/v1/scores/%E2%98%83", "account_id");
        refused("/api/v1/scores/" + IngestCases.EXTREME_TRIAL + "?as_of=garbage", "as_of");
        refused("/api/v1/scores/" + IngestCases.EXTREME_TRIAL + "?as_of=" + FAR_FUTURE, "as_of");
        refused("/api/v1/scores/" + IngestCases.EXTREME_TRIAL + "?known_at=not-a-date", "known_at");
        refused("/api/v1/scores/" + IngestCases.EXTREME_TRIAL + "?definition_version=1.5", "definition_version");
    }

    private void spectrum() {
        refused("/api/v1/spectrum?limit=0", "limit");
        refused("/api/v1/spectrum?limit=50001", "limit");
        refused("/api/v1/spectrum?limit=lots", "limit");
        refused("/api/v1/spectrum?open_only=perhaps", "open_only");
        refused("/api/v1/spectrum?definition_version=-1", "definition_version");
    }

    private void forecast() {
        refused("/api/v1/forecast?group_by=planet", "group_by");
        refused("/api/v1/forecast?group_by=persona,persona", "group_by[1]");
        refused("/api/v1/forecast?persona=villain", "persona");
        refused("/api/v1/forecast?size=xxl", "size");
        refused("/api/v1/forecast?close_month=2025-13", "close_month");
        refused("/api/v1/forecast?close_month=25-01", "close_month");
        refused("/api/v1/forecast?as_of=garbage", "as_of");
        refused("/api/v1/forecast?as_of=" + FAR_FUTURE, "as_of");
        refused("/api/v1/forecast?known_at=" + FAR_FUTURE, "known_at");
        refused("/api/v1/forecast?definition_version=-1", "definition_version");
        refused("/api/v1/forecast?currency=usd", "currency");
        refused("/api/v1/forecast?currency=" + "U".repeat(1000), "currency");
        status("/api/v1/forecast?definition_version=99999", Expected.http(404, "NOT_FOUND"));
        cases.add(new HostileCase("GET /api/v1/forecast?as_of=1960-01-01 (accepted, no open trial then)", Transport.HTTP,
                () -> calls.http("/api/v1/forecast?as_of=1960-01-01", calls.allScopes,
                        body -> body.contains("\"openTrials\"") && !body.contains("\"openTrials\":\"0\"") ? "open trials" : "no open trial"),
                new Expected("HTTP 200", null, "no open trial", null)));
    }

    private void forecastLines() {
        refused("/api/v1/forecast/lines.csv?close_month=2025-00", "close_month");
        refused("/api/v1/forecast/lines.csv?as_of=" + FAR_FUTURE, "as_of");
        refused("/api/v1/forecast/lines.csv?currency=xx", "currency");
        refused("/api/v1/forecast/lines.csv?persona=nobody", "persona");
        status("/api/v1/forecast/lines.csv?definition_version=99999", Expected.http(404, "NOT_FOUND"));
    }

    private void metrics() {
        refused("/api/v1/metrics?granularity=day", "granularity");
        refused("/api/v1/metrics?from=garbage", "from");
        refused("/api/v1/metrics?to=2025-02-30", "to");
        refused("/api/v1/metrics?from=2026-02-01&to=2026-01-01", "from");
        refused("/api/v1/metrics?from=0001-01-01", "from");
        refused("/api/v1/metrics?known_at=" + FAR_FUTURE, "known_at");
        refused("/api/v1/metrics?definition_version=x", "definition_version");
    }

    private void transitions() {
        refused("/api/v1/transitions/recent?limit=0", "limit");
        refused("/api/v1/transitions/recent?limit=1001", "limit");
        refused("/api/v1/transitions/recent?limit=abc", "limit");
        refused("/api/v1/transitions/recent?account=a%20b", "account_id");
        refused("/api/v1/transitions/recent?account=" + "a".repeat(129), "account_id");
        // a parameter the resource does not take (issue 15: it used to be ignored)
        refused("/api/v1/scores?pqlOnly=true", "pqlOnly");
        refused("/api/v1/forecast/lines.csv?ownr=x", "ownr");
    }

    /** The dashboard's files and the HTTP server's own limits (Jetty's, before any resource). */
    private void pathsAndSizes() {
        // every refusal of the HTTP API has its one error body, a path nobody serves too
        status("/dashboard/config.yml", Expected.http(404, "NOT_FOUND"));
        // Jetty refuses ambiguous paths (encoded slashes and dots) itself: 400 with its own HTML page
        status("/dashboard/..%2F..%2Fconfig.yml", Expected.http(400, "(no JSON body)"));
        status("/dashboard/%2e%2e/%2e%2e/etc/passwd", Expected.http(400, "(no JSON body)"));
        status("/api/v1/scores?owner=" + "o".repeat(10 * 1024), Expected.http(414, "(no JSON body)"));
    }

    private void refused(String pathAndQuery, String field) {
        status(pathAndQuery, http400(field));
    }

    private void status(String pathAndQuery, Expected expected) {
        cases.add(new HostileCase("GET " + abbreviate(pathAndQuery), Transport.HTTP, () -> calls.http(pathAndQuery), expected));
    }

    static String abbreviate(String text) {
        return text.length() <= 90 ? text : text.substring(0, 80) + "...(" + text.length() + " characters)";
    }
}
