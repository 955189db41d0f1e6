package pql.gateway.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The request's framing: body limits and gzip, the batch envelope, the write key's forms, the error list. */
class SegmentRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void theLimitCountsTheJsonAfterGzip() throws Exception {
        byte[] json = ("{\"pad\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(SegmentRequestBody.read(new ByteArrayInputStream(gzip(json)), 4096)).isEqualTo(json);
        assertThat(SegmentRequestBody.read(new ByteArrayInputStream(json), 4096)).isEqualTo(json);
        byte[] bomb = gzip(new byte[1_000_000]);
        assertThat(bomb.length).isLessThan(4096);
        assertThatThrownBy(() -> SegmentRequestBody.read(new ByteArrayInputStream(bomb), 4096)).isInstanceOf(SegmentRequestBody.TooLarge.class);
        assertThatThrownBy(() -> SegmentRequestBody.read(new ByteArrayInputStream(json), 1024)).isInstanceOf(SegmentRequestBody.TooLarge.class);
        byte[] broken = gzip(json);
        broken[broken.length / 2] ^= 0x55;
        assertThatThrownBy(() -> SegmentRequestBody.read(new ByteArrayInputStream(java.util.Arrays.copyOf(broken, 20)), 4096))
                .isInstanceOf(SegmentRequestBody.BadGzip.class);
    }

    @Test
    void aBatchIsReadWithEachMessagesSizeAndItsEnvelope() throws Exception {
        String first = "{\"type\":\"track\",\"event\":\"A\"}";
        String second = "{\"type\":\"identify\",\"traits\":{\"pad\":\"" + "y".repeat(500) + "\"}}";
        String body = "{\"writeKey\":\"k1\",\"sentAt\":\"2026-06-01T10:00:00Z\",\"context\":{\"groupId\":\"acme\"},\"batch\":[" + first
                + " , " + second + "],\"sequence\":3}";
        SegmentBatch batch = SegmentBatch.parse(JSON, body.getBytes(StandardCharsets.UTF_8));
        assertThat(batch.items()).hasSize(2);
        assertThat(batch.items().get(0).bytes()).isEqualTo(first.length());
        assertThat(batch.items().get(1).bytes()).isEqualTo(second.length());
        assertThat(batch.writeKey()).isEqualTo("k1");
        assertThat(batch.sentAt()).isEqualTo("2026-06-01T10:00:00Z");
        assertThat(batch.context().path("groupId").asText()).isEqualTo("acme");
    }

    @Test
    void whatIsNotABatchSaysWhy() {
        assertThatThrownBy(() -> SegmentBatch.parse(JSON, "[]".getBytes())).hasMessageContaining("\"batch\" array");
        assertThatThrownBy(() -> SegmentBatch.parse(JSON, "{\"batch\":{}}".getBytes())).hasMessageContaining("batch: must be an array");
        assertThatThrownBy(() -> SegmentBatch.parse(JSON, "{\"batch\":[]}".getBytes())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> SegmentBatch.parse(JSON, "{\"context\":{}}".getBytes())).hasMessageContaining("batch: required");
        assertThatThrownBy(() -> SegmentBatch.parse(JSON, "{\"batch\":[{\"type\":".getBytes())).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> SegmentBatch.parse(JSON, "{\"batch\":[{}]} {}".getBytes())).hasMessageContaining("more than one");
    }

    @Test
    void aWebhookBodyIsOneMessageOrAnArrayOfThem() throws Exception {
        String one = "{\"type\":\"identify\",\"userId\":\"u\"}";
        SegmentBatch single = SegmentBatch.parseWebhook(JSON, one.getBytes(StandardCharsets.UTF_8));
        assertThat(single.items()).singleElement().satisfies(item -> assertThat(item.bytes()).isEqualTo(one.length()));
        SegmentBatch array = SegmentBatch.parseWebhook(JSON, ("[" + one + "," + one + "]").getBytes(StandardCharsets.UTF_8));
        assertThat(array.items()).hasSize(2);
        assertThat(array.items().get(1).message().path("userId").asText()).isEqualTo("u");
        assertThatThrownBy(() -> SegmentBatch.parseWebhook(JSON, "[]".getBytes())).hasMessageContaining("empty array");
        assertThatThrownBy(() -> SegmentBatch.parseWebhook(JSON, "\"x\"".getBytes())).hasMessageContaining("JSON array of messages");
    }

    @Test
    void theWriteKeyIsTheBasicUserNameOrABearerOrXApiKey() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("wk-123:".getBytes(StandardCharsets.UTF_8));
        assertThat(SegmentResource.headerKey(basic, null)).isEqualTo("wk-123");
        assertThat(SegmentResource.headerKey("basic " + Base64.getEncoder().encodeToString("wk-9".getBytes()), null)).isEqualTo("wk-9");
        assertThat(SegmentResource.headerKey("Bearer wk-2", null)).isEqualTo("wk-2");
        assertThat(SegmentResource.headerKey(null, "wk-3")).isEqualTo("wk-3");
        assertThat(SegmentResource.headerKey("Basic %%%", null)).isNull();
        assertThat(SegmentResource.headerKey("Basic " + Base64.getEncoder().encodeToString(":pw".getBytes()), null)).isNull();
        assertThat(SegmentResource.headerKey(null, null)).isNull();
    }

    @Test
    void theErrorLogKeepsTheNewestAndCountsEverything() {
        IngestErrorLog log = new IngestErrorLog(3);
        for (int i = 0; i < 5; i++) {
            log.add(new IngestErrorLog.Entry(Instant.EPOCH.plusSeconds(i), "segment", i % 2 == 0 ? "even" : "odd", "m" + i, "track", "E",
                    null, "X", "r" + i));
        }
        assertThat(log.total()).isEqualTo(5);
        assertThat(log.newest(10, entry -> true)).extracting(IngestErrorLog.Entry::messageId).containsExactly("m4", "m3", "m2");
        assertThat(log.newest(1, entry -> true)).extracting(IngestErrorLog.Entry::messageId).containsExactly("m4");
        assertThat(log.newest(10, entry -> entry.apiKeyName().equals("odd"))).extracting(IngestErrorLog.Entry::messageId)
                .containsExactly("m3");
    }
}
