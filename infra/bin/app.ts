#!/usr/bin/env node
import { buildApp } from '../build-app';

buildApp().app.synth();
