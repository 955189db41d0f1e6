package pql.scoring.domain;

/** How hard it is for a new user to self-serve to first value (seed 000). */
public enum ProductComplexity {
    SIMPLE, INTERMEDIATE, COMPLEX
}
