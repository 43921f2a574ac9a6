/** Types the trading tests share. */
import type { Topic, TopicEvents } from '../src/engine/bus/topics.js';

/** Any event any topic carries. */
export type AnyTopicEvent = TopicEvents[Topic];
