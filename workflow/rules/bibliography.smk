# bibliography stage: checks of bibliography/*.bib and the citations in the chapters.
