package io.leadrouter.lead;

/** How a rep (or the CRM) closed a lead. */
public enum Outcome {
    CONVERTED, DISQUALIFIED, CONTACTED
}
