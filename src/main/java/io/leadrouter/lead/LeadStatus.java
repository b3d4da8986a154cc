package io.leadrouter.lead;

/** QUEUED -> OFFERED -> ASSIGNED -> CLOSED, with OFFERED -> QUEUED on expiry or decline and HELD when attempts run out. */
public enum LeadStatus {
    QUEUED, OFFERED, ASSIGNED, CLOSED, HELD
}
