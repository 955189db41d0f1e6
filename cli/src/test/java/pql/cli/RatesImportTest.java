package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.v1.Event;

/** How `pql rates import` reads its CSV: one event per rate, every problem with its line number. */
class RatesImportTest {

    private final List<Event> events = new ArrayList<>();
    private final List<Long> lines = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private void read(String csv) throws Exception {
        RatesCommand.Import.read(new CsvRecords(new StringReader(csv)), events, lines, errors);
    }

    @Test
    void eachRowIsOneExchangeRateEventWithAnIdNamingItsContent() throws Exception {
        read("date,base,quote,rate\n2026-01-05,eur,USD,1.08\n2026-01-05,GBP,USD,1.25\n");

        assertThat(errors).isEmpty();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).getEventId()).isEqualTo("rate:2026-01-05:EUR:USD:1.08");
        assertThat(events.get(0).getExchangeRate().getBase()).isEqualTo("EUR");
        assertThat(events.get(0).getExchangeRate().getRate()).isEqualTo("1.08");
        assertThat(events.get(0).getOccurredAt().getSeconds()).isEqualTo(1_767_571_200L); // 2026-01-05T00:00:00Z
        assertThat(lines).containsExactly(2L, 3L);
    }

    @Test
    void problemsNameTheirLine() throws Exception {
        read("date,base,quote,rate\n2026-01-05,EUR,USD\n2026-13-01,EUR,USD,1.1\n2026-01-06,EUR,USD,1.09\n");

        assertThat(errors).containsExactly(
                "line 2: 3 fields; expected 4 (date,base,quote,rate)",
                "line 3: date \"2026-13-01\" is not a day YYYY-MM-DD");
        assertThat(lines).containsExactly(4L);
    }

    @Test
    void aWrongHeaderIsRefused() throws Exception {
        read("day,from,to,value\n2026-01-05,EUR,USD,1.08\n");

        assertThat(errors).singleElement().asString().startsWith("line 1: the header must be date,base,quote,rate");
        assertThat(events).isEmpty();
    }
}
