package io.leadrouter.offer;

/** OPEN until the rep accepts or declines, the deadline passes, or the lead is taken away (CANCELLED). */
public enum OfferState {
    OPEN, ACCEPTED, DECLINED, EXPIRED, CANCELLED
}
