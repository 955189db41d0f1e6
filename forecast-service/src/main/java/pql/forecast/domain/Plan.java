package pql.forecast.domain;

public enum Plan {
    UNSPECIFIED, TRIAL, FREEMIUM, PAID
}
