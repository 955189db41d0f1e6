package pql.scoring.domain;

public enum Plan {
    TRIAL, FREEMIUM, PAID
}
