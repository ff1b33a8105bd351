#!/usr/bin/env node
import '../dist/sluice.mjs';
