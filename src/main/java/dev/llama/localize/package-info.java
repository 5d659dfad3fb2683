/**
 * Fault localization: from one interval's pairs (with their per-source-port detail) and the topology
 * the nodes' tags describe, a ranked list of named suspects — a host, a group of a hierarchy level
 * (rack, pod, …), an ECMP path, or the whole network. Pure Java: no Vert.x, no I/O.
 */
package dev.llama.localize;
