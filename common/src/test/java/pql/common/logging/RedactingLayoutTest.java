package pql.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every shape in which a library or a careless line could print a credential. */
class RedactingLayoutTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Netty frame log      | headers=GrpcHttp2RequestHeaders[:path: /pql.v1.ScoringService/Get, authorization: Bearer s3cr3tT0ken42, te: trailers] | s3cr3tT0ken42",
            "gRPC Metadata        | Metadata(content-type=application/grpc,x-api-key=s3cr3tT0ken42,user-agent=grpc-java) | s3cr3tT0ken42",
            "JSON                 | {\"X-Api-Key\": \"s3cr3tT0ken42\", \"n\": 1} | s3cr3tT0ken42",
            "Jetty request dump   | GET /metrics HTTP/1.1 Authorization: bearer s3cr3tT0ken42 Host: localhost | s3cr3tT0ken42",
            "bare bearer          | sending Bearer s3cr3tT0ken42 upstream | s3cr3tT0ken42",
            "bare PQL key         | loaded pql_Vb3xYz0123456789abcdefghijklmnopqrstuvwxyzAB from file | Vb3xYz0123456789abcdef",
            "query string         | GET /dashboard/?key=x&api_key=s3cr3tT0ken42 | s3cr3tT0ken42"})
    void credentialsAreRedacted(String shape, String line, String secret) {
        String redacted = RedactingLayout.redact(line);
        assertThat(redacted).doesNotContain(secret).contains("[redacted]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "refused pql.v1.ScoringService/GetAccountScore: unknown API key",
            "scoring caught up: 2000 accounts, lag 0 ms",
            "authorization required for /metrics"})
    void ordinaryLinesAreUntouchedOrOnlyLoseAValue(String line) {
        assertThat(RedactingLayout.redact(line)).startsWith(line.substring(0, 10));
    }
}
