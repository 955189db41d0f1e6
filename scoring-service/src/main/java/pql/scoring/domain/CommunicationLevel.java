package pql.scoring.domain;

/** ACTIVE when inbound interactions plus responses in the window reach the threshold (seed 004). */
public enum CommunicationLevel {
    LOW, ACTIVE
}
