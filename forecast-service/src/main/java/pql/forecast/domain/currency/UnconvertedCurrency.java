package pql.forecast.domain.currency;

import java.math.BigInteger;

/**
 * The open trials of one currency a forecast could not convert (left out of its totals, listed).
 *
 * @param pipelineMicros the sum of their deal sizes in {@code currency}, exact
 */
public record UnconvertedCurrency(String currency, long trials, BigInteger pipelineMicros, String reason) {
}
