package pql.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Page tokens: a round trip, and every token not of this request refused on page_token. */
class PageTokensTest {

    private static final long FINGERPRINT = PageTokens.fingerprint("filter pql_only".getBytes(), new byte[] {1});

    @Test
    void aTokenRoundTripsItsPosition() {
        String token = PageTokens.encode(FINGERPRINT, 87.5, "acme-ü");

        assertThat(PageTokens.decode(token, FINGERPRINT)).isEqualTo(new PageTokens.Position(87.5, "acme-ü"));
        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void anEmptyTokenIsTheFirstPage() {
        assertThat(PageTokens.decode("", FINGERPRINT)).isNull();
        assertThat(PageTokens.decode(null, FINGERPRINT)).isNull();
    }

    @Test
    void garbageIsRefusedOnPageToken() {
        assertRefused("not-a-token!");
        assertRefused("c2hvcnQ");
    }

    @Test
    void aTamperedTokenIsRefusedOnPageToken() {
        byte[] bytes = Base64.getUrlDecoder().decode(PageTokens.encode(FINGERPRINT, 10, "acme"));
        bytes[bytes.length - 6] ^= 1;
        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    @Test
    void aTokenOfAnotherRequestIsRefusedOnPageToken() {
        long otherRequest = PageTokens.fingerprint("filter none".getBytes(), new byte[] {1});
        assertRefused(PageTokens.encode(otherRequest, 10, "acme"));
    }

    @Test
    void theCollectingFormAddsTheViolationBesideTheOthers() {
        FieldViolations violations = new FieldViolations().add("page_size", "must be <= 1000");

        assertThat(PageTokens.decode("garbage", FINGERPRINT, violations)).isNull();
        assertThat(violations.list()).extracting(v -> v.getField()).containsExactly("page_size", "page_token");
    }

    private static void assertRefused(String token) {
        assertThatThrownBy(() -> PageTokens.decode(token, FINGERPRINT))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField()).containsExactly("page_token");
                    assertThat(GrpcErrors.errorInfoOf(e).orElseThrow().getReason()).isEqualTo(GrpcErrors.BAD_REQUEST);
                });
    }
}
