package pql.scoring.domain;

public enum Sentiment {
    POSITIVE, NEUTRAL, NEGATIVE
}
