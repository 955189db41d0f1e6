package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.v1.Direction;
import pql.v1.Event;
import pql.v1.OpportunitySize;
import pql.v1.OutcomeKind;

class CsvEventReaderTest {

    private static List<EventLine> read(String csv) throws IOException {
        List<EventLine> lines = new ArrayList<>();
        try (CsvEventReader reader = new CsvEventReader(new StringReader(csv))) {
            EventLine line;
            while ((line = reader.next()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void oneFileMixesKindsWithTheirOwnColumns() throws Exception {
        List<EventLine> lines = read("""
                event_id,account_id,occurred_at,kind,user_id,action,quantity,prop.plan,name,deal_size,currency,opportunity_size,direction,outcome,sales_touched
                e1,acme,2025-03-01T10:00:00Z,product_action,u1,report_created,2,pro,,,,,,,
                e2,acme,2025-03-01,account_profiled,,,,,"Acme, Inc",12500.50,EUR,mid,,,
                e3,acme,2025-03-02T09:00:00Z,communication,u1,,,,,,,,inbound,,
                e4,acme,2025-03-09T09:00:00Z,outcome,,,,,,,,,,converted,no
                """);

        assertThat(lines).allSatisfy(line -> assertThat(line.isOk()).as(String.valueOf(line.error())).isTrue());
        Event action = lines.get(0).event();
        assertThat(action.getProductAction().getAction()).isEqualTo("report_created");
        assertThat(action.getProductAction().getQuantity()).isEqualTo(2.0);
        assertThat(action.getProductAction().getPropertiesMap()).containsEntry("plan", "pro");
        assertThat(action.getOccurredAt().getSeconds()).isEqualTo(1740823200L);
        Event profile = lines.get(1).event();
        assertThat(profile.getAccountProfiled().getName()).isEqualTo("Acme, Inc");
        assertThat(profile.getAccountProfiled().getDealSize().getAmountMicros()).isEqualTo(12_500_500_000L);
        assertThat(profile.getAccountProfiled().getDealSize().getCurrency()).isEqualTo("EUR");
        assertThat(profile.getAccountProfiled().getOpportunitySize()).isEqualTo(OpportunitySize.OPPORTUNITY_SIZE_MID);
        assertThat(lines.get(2).event().getCommunication().getDirection()).isEqualTo(Direction.DIRECTION_INBOUND);
        assertThat(lines.get(3).event().getOutcome().getKind()).isEqualTo(OutcomeKind.OUTCOME_KIND_CONVERTED);
        assertThat(lines.get(3).event().getOutcome().getSalesTouched()).isFalse();
    }

    @Test
    void badRowsAreReportedWithTheirLineAndTheRestIsRead() throws Exception {
        List<EventLine> lines = read("""
                event_id,account_id,occurred_at,kind,user_id,action,quantity,opportunity_size
                e1,acme,2025-03-01T10:00:00Z,product_action,u1,login,lots,
                e2,acme,yesterday,product_action,u1,login,,
                e3,acme,2025-03-01T10:00:00Z,teleportation,,,,
                e4,acme,2025-03-01T10:00:00Z,account_profiled,,,,huge
                e5,acme,2025-03-01T10:00:00Z,product_action,u1,login,,
                """);
        assertThat(lines).extracting(EventLine::line).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(lines.get(0).error()).isEqualTo("quantity: not a number: 'lots'");
        assertThat(lines.get(1).error()).contains("occurred_at: not an ISO-8601 time");
        assertThat(lines.get(2).error()).startsWith("kind: unknown 'teleportation'; one of account_profiled");
        assertThat(lines.get(3).error()).isEqualTo("opportunity_size: unknown 'huge'; one of small, mid, large");
        assertThat(lines.get(4).isOk()).isTrue();
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws Exception {
        List<EventLine> lines = read("event_id,account_id,occurred_at,kind,user_id,note\r\n"
                + "e1,acme,2025-03-01T10:00:00Z,sales_assistance_requested,u1,\"Call me, \"\"soon\"\"\nplease\"\r\n"
                + "e2,acme,2025-03-01T10:00:00Z,sales_assistance_requested,u1,ok\r\n");
        assertThat(lines.get(0).event().getSalesAssistanceRequested().getNote()).isEqualTo("Call me, \"soon\"\nplease");
        assertThat(lines.get(1).line()).isEqualTo(4);
    }

    @Test
    void theHeaderMustNameTheRequiredColumns() {
        assertThatThrownBy(() -> read("event_id,account_id,kind\n")).hasMessageContaining("'occurred_at'");
    }
}
