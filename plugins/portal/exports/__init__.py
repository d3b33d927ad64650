"""From stored responses to open data: exports, published results and retention."""
