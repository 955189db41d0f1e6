package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import pql.v1.Money;

class FormatsTest {

    @Test
    void moneyIsWholeUnitsRoundedHalfEven() {
        assertThat(Formats.money(Money.newBuilder().setAmountMicros(12_500_000).setCurrency("USD").build())).isEqualTo("12 USD");
        assertThat(Formats.money(Money.newBuilder().setAmountMicros(13_500_000).setCurrency("EUR").build())).isEqualTo("14 EUR");
    }

    @Test
    void aTotalBeyondAnInt64OfMicrosIsPrintedFromItsExactAmount() {
        Money pipeline = Money.newBuilder().setAmountMicros(Long.MAX_VALUE).setExactAmount("18446744073709.551614")
                .setCurrency("USD").build();

        assertThat(Formats.money(pipeline)).isEqualTo("18,446,744,073,710 USD");
    }
}
