/**
 * The cluster-wide registry of nodes: each node's entry ({@link dev.llama.registry.NodeInfo}), validated
 * field by field when read, since any member of the cluster can write to the map.
 */
package dev.llama.registry;
