package pql.scoring.domain;

/** HIGH / MEDIUM / LOW level of activation or engagement, cut by the definition's cut-offs. */
public enum Level {
    LOW, MEDIUM, HIGH
}
